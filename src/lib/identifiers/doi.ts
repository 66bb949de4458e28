/**
 * DOIs: `10.<registrant>/<suffix>`. Accepts the https://doi.org/ (and dx.doi.org) resolver form and
 * the `doi:` form. DOIs are case-insensitive: compare them through `doiKey`.
 */
export function normalizeDoi(value: string): string {
  let doi = value.trim();
  doi = doi.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '').replace(/^doi:\s*/i, '');
  try {
    // Resolver URLs percent-encode the suffix; the DOI itself is the decoded string.
    if (/%[0-9a-f]{2}/i.test(doi)) doi = decodeURIComponent(doi);
  } catch {
    /* keep it as typed; validation will explain */
  }
  return doi;
}

/** Why a DOI is not valid, or null when it is. */
export function doiProblem(value: string): string | null {
  const doi = normalizeDoi(value);
  if (!/^10\.\d{4,9}(\.\d+)*\/\S+$/.test(doi) || /[\u0000-\u001f]/.test(doi)) {
    return 'Enter a DOI like 10.1000/xyz123, doi:10.1000/xyz123 or https://doi.org/10.1000/xyz123.';
  }
  return null;
}

export const isValidDoi = (value: string) => doiProblem(value) === null;

/** The form two DOIs are compared in. */
export const doiKey = (value: string) => normalizeDoi(value).toLowerCase();

export const doiUrl = (doi: string) => `https://doi.org/${encodeURI(doi).replace(/[?#]/g, encodeURIComponent)}`;
