/**
 * Test-only secrets for the e2e server (playwright.config.ts sets them explicitly, so e2e never
 * depends on a generated data-dir file). Never use them anywhere else.
 */
export const E2E_FERNET_KEY = "RcvPTlZx_Kqxxn-jSJ_18ACY-EX9IyXqkM2KrK8nq58=";
export const E2E_NEXTAUTH_SECRET = "e2e-only-nextauth-secret-4f9c2a7e1b3d5f6a8c0e";
