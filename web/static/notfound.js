// Unknown paths are handled in app.js; this module exists so the router can import any page.
import { notFound } from "./app.js";

export function render() {
  notFound("There is no page at this address.");
}
