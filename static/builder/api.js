// A small fetch wrapper for the REST API: JSON in and out, CSRF header, one error shape.
import { gettext, interpolate } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, body) {
    const message = (body && body.error && body.error.message) || interpolate(gettext("Request failed (%(status)s)"), { status });
    super(message);
    this.status = status;
    this.body = body || {};
    this.code = (body && body.error && body.error.code) || "error";
    this.errors = body && body.errors;
  }
}

export function createApi({ root, csrfToken }) {
  async function request(method, path, { json, form } = {}) {
    const headers = { Accept: "application/json" };
    let body;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (form) {
      body = form;
    }
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken;
    let response;
    try {
      response = await fetch(root + path, { method, headers, body, credentials: "same-origin" });
    } catch (error) {
      throw new ApiError(0, { error: { code: "offline", message: gettext("The server could not be reached.") } });
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try { data = JSON.parse(text); } catch (error) { data = null; }
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }
  return {
    get: (path) => request("GET", path),
    post: (path, json) => request("POST", path, { json }),
    put: (path, json) => request("PUT", path, { json }),
    patch: (path, json) => request("PATCH", path, { json }),
    del: (path) => request("DELETE", path),
    upload: (path, form) => request("POST", path, { form }),
  };
}

// Lists may come paginated ({results: [...]}) or plain.
export function rows(data) {
  if (Array.isArray(data)) return data;
  return (data && data.results) || [];
}
