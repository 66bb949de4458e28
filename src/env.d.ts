/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The signed-in user, or null. Set by the middleware and nothing else. */
    user: import('./lib/auth/sessions').SessionUser | null;
    /** The session token of the signed-in user (cookie or bearer). */
    sessionToken: string | null;
    /** The UI language of this request, from the URL (`/en/...` is English). */
    lang: import('./i18n').Lang;
  }
}

declare namespace App {
  interface Locals {
    /** Field messages of a domain error raised by the form action of this request. */
    formErrors?: Record<string, string[]>;
    /** A form submitted in this request failed: the page title says so. */
    formFailed?: boolean;
  }
}
