/** What a visitor reads when QUANTFLOW_SIGNUP keeps them from creating an account. */
export const SIGNUP_REFUSED = {
  signup_closed: "Sign-up is closed on this installation. Ask an admin of QuantFlow here to create an account for you.",
  invitation_invalid:
    "This installation creates accounts by invitation, and this link is not (or no longer) valid: it may have been used, have expired, or be for another email. Ask an admin for a new link.",
} as const;
