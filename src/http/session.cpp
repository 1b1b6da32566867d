#include "session.h"

#include <map>
#include <memory>

#include "api_auth.h"
#include "dogwatch/core/clock.h"
#include "dogwatch/core/crypto.h"

namespace dogwatch::http_internal {

std::string SessionToken(const httplib::Request& req) {
  // Cookie: a=1; dw_session=TOKEN; b=2
  const std::string cookies = req.get_header_value("Cookie");
  const std::string name = std::string(kSessionCookie) + "=";
  size_t i = 0;
  while (i < cookies.size()) {
    while (i < cookies.size() && (cookies[i] == ' ' || cookies[i] == ';')) ++i;
    size_t end = cookies.find(';', i);
    if (end == std::string::npos) end = cookies.size();
    if (cookies.compare(i, name.size(), name) == 0) return cookies.substr(i + name.size(), end - i - name.size());
    i = end;
  }
  return "";
}

std::optional<SessionInfo> CurrentSession(Store& reader, const httplib::Request& req, TimePoint now) {
  std::string token = SessionToken(req);
  if (token.empty() || token.size() > 100) return std::nullopt;
  return reader.FindSession(Sha256Hex(token), now);
}

bool CsrfOk(const httplib::Request& req, const SessionInfo& session) {
  std::string sent = req.get_header_value("X-CSRF-Token");
  return !sent.empty() && ConstantTimeEqual(sent, session.csrf_token);
}

std::optional<SessionInfo> RequireSession(Store& reader, const httplib::Request& req, httplib::Response& res) {
  auto session = CurrentSession(reader, req, SystemClock().Now());
  if (!session) {
    ReplyError(res, 401, "not logged in");
    return std::nullopt;
  }
  if (req.method != "GET" && req.method != "HEAD" && !CsrfOk(req, *session)) {
    ReplyError(res, 403, "missing or wrong CSRF token");
    return std::nullopt;
  }
  return session;
}

void SetSessionCookie(httplib::Response& res, const std::string& token, std::chrono::seconds lifetime,
                      bool secure) {
  res.set_header("Set-Cookie", fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}", kSessionCookie,
                                           token, lifetime.count(), secure ? "; Secure" : ""));
}

void ClearSessionCookie(httplib::Response& res, bool secure) {
  res.set_header("Set-Cookie", fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}", kSessionCookie,
                                           secure ? "; Secure" : ""));
}

Result<AccountWriter> AccountWriter::For(const std::string& database_path) {
  struct Slot {
    std::mutex mu;
    std::unique_ptr<Store> store;
  };
  static std::mutex slots_mu;
  static std::map<std::string, std::unique_ptr<Slot>> slots;  // one per database (tests run several)
  Slot* slot;
  {
    std::lock_guard lock(slots_mu);
    auto& s = slots[database_path];
    if (!s) s = std::make_unique<Slot>();
    slot = s.get();
  }
  std::unique_lock lock(slot->mu);
  if (!slot->store) {
    auto store = Store::Open(StoreOptions{.path = database_path, .mode = OpenMode::kReadWrite});
    if (!store) return store.error();
    slot->store = std::move(*store);
  }
  return AccountWriter(std::move(lock), slot->store.get());
}

}  // namespace dogwatch::http_internal
