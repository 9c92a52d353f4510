/** Who is calling the tab's API, once their token has been checked. */
export interface TabIdentity {
  tenantId: string;
  aadObjectId: string;
  /** From the token; the staff list's own name is what gets recorded. */
  displayName: string;
  /** How they signed in: Teams single sign-on, or the local-only development sign-in. */
  via: 'entra' | 'development';
}

/** Turns an Authorization header into an identity, or undefined (the caller answers 401). */
export interface TabAuthenticator {
  authenticate(authorizationHeader: string | undefined): Promise<TabIdentity | undefined>;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,8192})$/.exec(header ?? '');
  return match?.[1];
}

/** Local mode has the development sign-in; production accepts Entra ID tokens only. */
export type TabMode = 'local' | 'production';
