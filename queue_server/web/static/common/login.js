// @ts-check
// The staff pages' login form (/manage, /county): log in, then reload into the signed-in page.
import { api } from "./api.js";
import { $ } from "./dom.js";

/** Send #login-form's username and password; reload on success, show the server's reason in #login-error otherwise. */
export function wireLogin() {
  const form = $("login-form", HTMLFormElement);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    try {
      await api("/api/auth/login", { method: "POST", body: { username: data.get("username"), password: data.get("password") } });
      location.reload();
    } catch (e) {
      $("login-error").textContent = /** @type {Error} */ (e).message;
    }
  });
}
