<#
.SYNOPSIS
    Lets the bot send mail from the school's safeguarding mailbox, and from no other mailbox.

.DESCRIPTION
    The bot emails people outside school (after the DSL approves) through Microsoft Graph, signed in as
    its user-assigned managed identity. Granting that identity the Graph application permission
    Mail.Send in Entra ID would let it send as ANY mailbox in the tenant. Instead this script uses
    Exchange Online's RBAC for Applications: the "Application Mail.Send" role, assigned to the
    identity with a management scope that contains only the safeguarding mailbox.

    Application access policies (New-ApplicationAccessPolicy) are the older way to do this. Microsoft
    now advises not to create new ones (they are being replaced by RBAC for Applications), so this
    script does not use them.

    Do NOT also grant Mail.Send to the identity in Entra ID (API permissions / app role assignment):
    the two grants add up, and the Entra one has no scope, so it would undo this restriction. If it
    was granted before, remove it.

    Run it once per deployment, as an Exchange administrator (Organization Management), after
    provisioning. It is safe to run again: what already exists is left as it is. Changes can take
    up to two hours to apply everywhere in Exchange Online.

.PARAMETER MailboxAddress
    The safeguarding mailbox the bot sends from, e.g. safeguarding@school.example.org.

.PARAMETER AppId
    The managed identity's client (application) id: the BOT_APP_ID output of the deployment, or
    az identity show --ids <IDENTITY_RESOURCE_ID> --query clientId -o tsv

.PARAMETER ObjectId
    The object id of the identity's enterprise application (service principal): the
    IDENTITY_PRINCIPAL_ID output, or az identity show --ids <IDENTITY_RESOURCE_ID> --query principalId -o tsv
    (not the object id of an app registration: a managed identity has none).

.PARAMETER OtherMailbox
    Optional: any other mailbox, to show that the bot may NOT send from it.

.EXAMPLE
    ./exchange-mail-scope.ps1 -MailboxAddress safeguarding@school.example.org `
        -AppId 00000000-0000-0000-0000-000000000000 -ObjectId 11111111-1111-1111-1111-111111111111 `
        -OtherMailbox head@school.example.org
#>
#Requires -Modules ExchangeOnlineManagement
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidatePattern('^[^@\s]+@[^@\s]+\.[^@\s]+$')]
    [string] $MailboxAddress,

    [Parameter(Mandatory)]
    [guid] $AppId,

    [Parameter(Mandatory)]
    [guid] $ObjectId,

    [string] $DisplayName = 'Social worker cohort bot',

    [string] $ScopeName = 'swbot safeguarding mailbox',

    [string] $AssignmentName = 'swbot Application Mail.Send',

    [string] $OtherMailbox
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# One connection per run; an existing session (and its sign-in) is reused.
if (-not (Get-ConnectionInformation | Where-Object { $_.State -eq 'Connected' })) {
    Connect-ExchangeOnline -ShowBanner:$false
}

# 1. Exchange's own pointer to the identity's service principal in Entra ID.
$servicePrincipal = Get-ServicePrincipal -Identity "$ObjectId" -ErrorAction SilentlyContinue
if (-not $servicePrincipal) {
    if ($PSCmdlet.ShouldProcess($DisplayName, 'New-ServicePrincipal')) {
        $servicePrincipal = New-ServicePrincipal -AppId "$AppId" -ObjectId "$ObjectId" -DisplayName $DisplayName
    }
} elseif ("$($servicePrincipal.AppId)" -ne "$AppId") {
    throw "The service principal $ObjectId in Exchange belongs to app $($servicePrincipal.AppId), not $AppId. Check the two ids."
}

# 2. A management scope that contains exactly one recipient: the safeguarding mailbox.
$mailbox = Get-Mailbox -Identity $MailboxAddress
$filter = "PrimarySmtpAddress -eq '$($mailbox.PrimarySmtpAddress)'"
$scope = Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue
if (-not $scope) {
    if ($PSCmdlet.ShouldProcess($ScopeName, "New-ManagementScope ($filter)")) {
        $scope = New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $filter
    }
} elseif ($scope.RecipientFilter -ne $filter) {
    # Exchange may store a filter reworded, so this is for a person to judge, not a reason to stop.
    Write-Warning "The management scope '$ScopeName' already exists with the filter '$($scope.RecipientFilter)'; this script would create '$filter'. If they differ in meaning, remove the scope or choose another -ScopeName."
}

# 3. Mail.Send for the identity, limited to that scope.
$assignment = Get-ManagementRoleAssignment -Identity $AssignmentName -ErrorAction SilentlyContinue
if (-not $assignment) {
    if ($PSCmdlet.ShouldProcess($AssignmentName, 'New-ManagementRoleAssignment')) {
        New-ManagementRoleAssignment -Name $AssignmentName -Role "Application Mail.Send" -App "$ObjectId" -CustomResourceScope $ScopeName | Out-Null
    }
}

# 4. Check: the identity may send from the safeguarding mailbox ...
Write-Host "Mail.Send for $DisplayName on $MailboxAddress (InScope must be True):"
Test-ServicePrincipalAuthorization -Identity "$ObjectId" -Resource $MailboxAddress | Format-Table RoleName, GrantedPermissions, AllowedResourceScope, ScopeType, InScope

# ... and from no other.
if ($OtherMailbox) {
    Write-Host "Mail.Send for $DisplayName on $OtherMailbox (InScope must be False):"
    Test-ServicePrincipalAuthorization -Identity "$ObjectId" -Resource $OtherMailbox | Format-Table RoleName, GrantedPermissions, AllowedResourceScope, ScopeType, InScope
}
