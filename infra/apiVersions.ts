// The Resource Manager API version for each resource type. Each is the version whose models the
// installed @azure/arm-* package describes (its default api-version), so the types the template is
// checked against are the shapes that API accepts. Where a package describes an older API than
// Resource Manager now offers, the reason for keeping it is given (see also infra/README.md).
export const API_VERSIONS = {
  /** @azure/arm-msi 2.2: the current GA version. */
  userAssignedIdentities: '2024-11-30',
  /** @azure/arm-storage 20. */
  storageAccounts: '2025-08-01',
  /** @azure/arm-authorization 9: 2022-04-01 is still the newest GA version for role assignments. */
  roleAssignments: '2022-04-01',
  /** @azure/arm-keyvault 5 (vaults and their secrets share the version). */
  keyVault: '2026-02-01',
  /** @azure/arm-operationalinsights 9. */
  workspaces: '2022-10-01',
  /**
   * @azure/arm-appinsights 4 models 2018-05-01-preview, which predates workspace-based components.
   * 2020-02-02 is the GA version that added WorkspaceResourceId; classic (non-workspace) components
   * can no longer be created, so the template uses it and adds that one field to the SDK's type.
   */
  components: '2020-02-02',
  /** @azure/arm-appservice 19: plans and sites share the version. */
  appService: '2025-05-01',
  /** @azure/arm-botservice 4: the newest GA version for bots and their channels. */
  botService: '2022-09-15',
  /** @azure/arm-monitor 7. */
  actionGroups: '2021-09-01',
  /** @azure/arm-monitor 7: still the GA version of metric alerts. */
  metricAlerts: '2018-03-01',
  /**
   * @azure/arm-monitor 7 models only this version of log search alerts. It is a current Resource
   * Manager version (the API retired in October 2025 was the older Log Analytics alert API, not this);
   * the rules move to 2023-12-01 when a newer @azure/arm-monitor describes it.
   */
  scheduledQueryRules: '2018-04-16',
} as const;
