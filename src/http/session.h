// Web sessions (docs/web-ui.md): the dw_session cookie, finding its session, the CSRF header,
// and the one read-write connection the HTTP side keeps for accounts. Thread-safe.
#pragma once

#include <httplib.h>

#include <mutex>
#include <optional>
#include <string>

#include "dogwatch/core/time.h"
#include "dogwatch/store/store.h"

namespace dogwatch::http_internal {

inline constexpr const char* kSessionCookie = "dw_session";

// The dw_session cookie's value, "" when absent.
std::string SessionToken(const httplib::Request& req);

// The live session the request's cookie names, if any.
std::optional<SessionInfo> CurrentSession(Store& reader, const httplib::Request& req, TimePoint now);

// True when X-CSRF-Token matches the session's token.
bool CsrfOk(const httplib::Request& req, const SessionInfo& session);

// The request's session, which must carry the CSRF token unless the method is GET or HEAD. On
// failure the reply is written (401 not logged in, 403 CSRF) and nullopt returned.
std::optional<SessionInfo> RequireSession(Store& reader, const httplib::Request& req, httplib::Response& res);

void SetSessionCookie(httplib::Response& res, const std::string& token, std::chrono::seconds lifetime,
                      bool secure);
void ClearSessionCookie(httplib::Response& res, bool secure);

// Users, sessions, projects and API keys are written here, never checks (the monitor is their
// only writer). One connection per database, serialized by its lock: account writes are rare.
class AccountWriter {
 public:
  static Result<AccountWriter> For(const std::string& database_path);
  Store* operator->() { return store_; }

 private:
  AccountWriter(std::unique_lock<std::mutex> lock, Store* store) : lock_(std::move(lock)), store_(store) {}
  std::unique_lock<std::mutex> lock_;
  Store* store_;
};

}  // namespace dogwatch::http_internal
