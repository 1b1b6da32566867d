#include "client_api.h"

#include <fmt/format.h>
#include <httplib.h>

#include <cstdlib>

#include "version.h"

namespace dogwatch::cli {
namespace {

constexpr time_t kConnectTimeoutSeconds = 10;
constexpr time_t kReadTimeoutSeconds = 30;
constexpr size_t kMaxTextError = 200;  // a plain-text error body longer than this is a page

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string TrimText(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// What a non-2xx answer says: its JSON "error", a short plain-text body ("check is not paused"),
// or the status's name for empty bodies and HTML pages.
std::string DescribeFailure(const httplib::Response& res) {
  auto json = nlohmann::json::parse(res.body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object() && json.contains("error") && json["error"].is_string()) {
    return fmt::format("{} {}", res.status, json["error"].get<std::string>());
  }
  std::string text = TrimText(res.body);
  bool html = res.get_header_value("Content-Type").find("html") != std::string::npos ||
              (!text.empty() && text.front() == '<');
  if (!text.empty() && !html && text.size() <= kMaxTextError && text.find('\n') == std::string::npos) {
    return fmt::format("{} {}", res.status, text);
  }
  return fmt::format("{} {}", res.status, Lower(httplib::detail::status_message(res.status)));
}

std::string DescribeNetworkError(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect";
    case httplib::Error::ConnectionTimeout:
      return "the connection timed out";
    case httplib::Error::Read:
      return "the connection broke or timed out while reading the answer";
    case httplib::Error::Write:
      return "the connection broke while sending the request";
    case httplib::Error::SSLConnection:
      return "the TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "cannot load the system's CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate is not trusted";
    default:
      return httplib::to_string(error);
  }
}

}  // namespace

void AddApiOptions(CLI::App& cmd, Context& ctx, ApiTarget& target) {
  cmd.add_option("--url", target.url,
                 "Server's base URL (default: $DOGWATCH_URL, else the config's server.base_url)");
  cmd.add_option("--api-key", target.api_key, "Project's API key (default: $DOGWATCH_API_KEY)");
  AddConfigOption(cmd, ctx);
}

bool ResolveApiTarget(const Context& ctx, ApiTarget& target) {
  if (target.url.empty()) target.url = Env("DOGWATCH_URL");
  if (target.url.empty()) {
    // The local server's own address; a config this user cannot read falls back to the default.
    auto config = LoadConfig({.path = ctx.config_path, .env = EnvironmentVars(), .flags = {}});
    target.url = config ? config->server.base_url : ServerConfig{}.base_url;
  }
  if (target.api_key.empty()) target.api_key = Env("DOGWATCH_API_KEY");
  if (target.api_key.empty()) {
    PrintError("no API key: give --api-key or set DOGWATCH_API_KEY "
               "(`dogwatch key create --project NAME` makes one)");
    return false;
  }
  return true;
}

Result<std::unique_ptr<ApiClient>> ApiClient::Make(const ApiTarget& target) {
  std::string url = target.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  size_t scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : Lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return Fail(Errc::kInvalidArgument, "'{}' is not an http:// or https:// URL", target.url);
  }
  size_t path_start = url.find('/', scheme_end + 3);
  std::string host_port = url.substr(0, path_start);
  std::string prefix = path_start == std::string::npos ? "" : url.substr(path_start);
  if (host_port.size() == scheme_end + 3 || prefix.find_first_of("?#") != std::string::npos) {
    return Fail(Errc::kInvalidArgument, "'{}' is not a server's base URL", target.url);
  }
  auto http = std::make_unique<httplib::Client>(host_port);
  if (!http->is_valid()) {
    return Fail(Errc::kInvalidArgument, "'{}' is not a usable URL", target.url);
  }
  http->set_connection_timeout(kConnectTimeoutSeconds, 0);
  http->set_read_timeout(kReadTimeoutSeconds, 0);
  http->set_write_timeout(kReadTimeoutSeconds, 0);
  http->set_default_headers({{"X-Api-Key", target.api_key},
                             {"Accept", "application/json"},
                             {"User-Agent", std::string("dogwatch/") + kVersion}});
  return std::unique_ptr<ApiClient>(
      new ApiClient(std::move(http), url, std::move(prefix)));
}

ApiClient::ApiClient(std::unique_ptr<httplib::Client> http, std::string base_url,
                     std::string prefix)
    : http_(std::move(http)), base_url_(std::move(base_url)), prefix_(std::move(prefix)) {}

ApiClient::~ApiClient() = default;

ApiAnswer ApiClient::Finish(httplib::Result&& result) {
  ApiAnswer answer;
  if (!result) {
    answer.error = fmt::format("cannot reach {}: {}", base_url_, DescribeNetworkError(result.error()));
    return answer;
  }
  const httplib::Response& res = *result;
  answer.status = res.status;
  answer.content_type = res.get_header_value("Content-Type");
  if (res.status < 200 || res.status > 299) {
    answer.error = DescribeFailure(res);
    return answer;
  }
  answer.json = nlohmann::json::parse(res.body, nullptr, /*allow_exceptions=*/false);
  if (answer.json.is_discarded()) {
    answer.not_json = true;
    answer.error = fmt::format("{} answered {} with {}, not JSON", base_url_, res.status,
                               answer.content_type.empty() ? "no content type" : answer.content_type);
  }
  return answer;
}

ApiAnswer ApiClient::Get(const std::string& path) { return Finish(http_->Get(prefix_ + path)); }

ApiAnswer ApiClient::Post(const std::string& path, const nlohmann::json& body) {
  return Finish(http_->Post(prefix_ + path, body.dump(), "application/json"));
}

ApiAnswer ApiClient::Delete(const std::string& path) { return Finish(http_->Delete(prefix_ + path)); }

std::string UrlEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace dogwatch::cli
