// A small client for Management API v3 (Healthchecks' or dogwatch's), for the commands that work
// through a running server: `check`, `import-crontab --apply`, `import`. Blocking, one request at a
// time; use from one thread.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string_view>
#include <string>

#include "context.h"
#include "dogwatch/core/result.h"

namespace httplib {
class Client;
class Result;
}

namespace dogwatch::cli {

// Where the API is: "--url"/"--api-key", else DOGWATCH_URL/DOGWATCH_API_KEY, else the config's
// server.base_url.
struct ApiTarget {
  std::string url;
  std::string api_key;
};

// Adds --url and --api-key (and --config) to a subcommand.
void AddApiOptions(CLI::App& cmd, Context& ctx, ApiTarget& target);

// Fills what the flags left empty from the environment, then the config. Prints the problem and
// returns false when no key is known.
bool ResolveApiTarget(const Context& ctx, ApiTarget& target);

// One answer. ok(): a 2xx with a JSON body, in `json`. Else `status` is the HTTP status, or 0
// when no answer came (network error, timeout), and `error` says what went wrong in the API's
// words ("400 json validation error: timeout is too small") or the client's ("cannot reach
// http://127.0.0.1:8000: Connection refused").
struct ApiAnswer {
  int status = 0;
  nlohmann::json json;
  std::string error;
  bool not_json = false;  // a 2xx answer that is not JSON: not a Healthchecks-compatible API
  std::string content_type;
  bool ok() const { return error.empty(); }
};

class ApiClient {
 public:
  // Fails (kInvalidArgument) on a URL that is not http:// or https://host[:port][/prefix].
  static Result<std::unique_ptr<ApiClient>> Make(const ApiTarget& target);
  ~ApiClient();

  // `path` starts at the API root ("/api/v3/checks/"). A 2xx answer must be JSON.
  ApiAnswer Get(const std::string& path);
  ApiAnswer Post(const std::string& path, const nlohmann::json& body);
  ApiAnswer Delete(const std::string& path);

  const std::string& base_url() const { return base_url_; }

 private:
  ApiClient(std::unique_ptr<httplib::Client> http, std::string base_url, std::string prefix);
  ApiAnswer Finish(httplib::Result&& result);

  std::unique_ptr<httplib::Client> http_;
  std::string base_url_;  // without a trailing '/'
  std::string prefix_;    // a path the server lives under ("" or "/hc")
};

// Percent-encodes a query value or path segment.
std::string UrlEncode(std::string_view text);

}  // namespace dogwatch::cli
