// How to ping a check from common places, with the check's own URL filled in.
import { h, tabs, copyButton } from "./dom.js";

function block(text) {
  return h("div", { class: "snippet" }, h("pre", null, h("code", null, text)), copyButton(text));
}

export function snippets(check) {
  const url = check.ping_url || "";
  const base = url.replace(/\/ping\/[^/]*$/, "");
  const when = check.schedule && check.schedule.trim().split(/\s+/).length === 5 ? check.schedule : "8 6 * * *";
  const uuid = check.uuid || "";
  return tabs([
    {
      label: "Crontab",
      content: h("div", null,
        h("p", { class: "help" }, "Append a ping to the job's line in crontab -e. curl's options: fail on HTTP errors, 10 s timeout, 5 retries."),
        block(`# m h dom mon dow  command\n${when} /path/to/job.sh && curl -fsS -m 10 --retry 5 -o /dev/null ${url}`)),
    },
    {
      label: "wget",
      content: h("div", null,
        h("p", { class: "help" }, "Where curl is not installed:"),
        block(`${when} /path/to/job.sh && wget ${url} -T 10 -t 5 -O /dev/null`)),
    },
    {
      label: "dogwatch run",
      content: h("div", null,
        h("p", { class: "help" }, "Wraps the job: pings start, runs it, sends its exit status and the end of its output. A monitor outage never fails the job."),
        block(`DOGWATCH_URL=${base} dogwatch run --uuid ${uuid} -- /path/to/job.sh`)),
    },
    {
      label: "Shell",
      content: h("div", null,
        h("p", { class: "help" }, "Measure run time with /start, then report the exit status (0 is success, 1-255 failure):"),
        block(`#!/bin/sh\nURL=${url}\ncurl -fsS -m 10 --retry 5 -o /dev/null "$URL/start"\n/path/to/job.sh\ncurl -fsS -m 10 --retry 5 -o /dev/null "$URL/$?"`)),
    },
    {
      label: "Python",
      content: h("div", null,
        h("p", { class: "help" }, "With the standard library only:"),
        block(`import urllib.request\n\nURL = "${url}"\n\ntry:\n    urllib.request.urlopen(URL, timeout=10)\nexcept OSError as e:\n    print("Ping failed: %s" % e)`)),
    },
  ], "Usage examples");
}
