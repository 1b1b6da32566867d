#include "integration/fixture.h"

#include <stdexcept>

namespace dwtest {

namespace {

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

Project MakeProject(const std::string& data_dir, const std::string& name) {
  auto args = [&](std::vector<std::string> a) {
    a.insert(a.end(), {"--config", "/dev/null", "--data-dir", data_dir});
    return a;
  };
  Project p;
  auto add = RunCommand(args({"project", "add", name}));
  if (add.exit_code != 0) throw std::runtime_error("project add: " + add.err);
  p.ping_key = FirstLine(add.out);
  p.rw_key = FirstLine(RunCommand(args({"key", "create", "--project", name})).out);
  p.ro_key = FirstLine(RunCommand(args({"key", "create", "--project", name, "--read-only"})).out);
  return p;
}

ApiServer::ApiServer(std::string config_toml, std::vector<std::string> env)
    : config_toml_(std::move(config_toml)), env_(std::move(env)) {
  project_ = MakeProject(data_ / "data", "Test");
  server_ = std::make_unique<Server>(Server::Options{.config_toml = config_toml_,
                                                    .env = env_,
                                                    .data_dir = data_ / "data"});
}

int ApiServer::Restart(int sig, std::optional<std::string> config_toml) {
  int status = server_->Stop(sig);
  server_.reset();
  if (config_toml) config_toml_ = *config_toml;
  server_ = std::make_unique<Server>(Server::Options{.config_toml = config_toml_,
                                                    .env = env_,
                                                    .data_dir = data_ / "data"});
  return status;
}

httplib::Result ApiServer::Get(const std::string& path, const std::string& key) {
  httplib::Headers h;
  if (!key.empty()) h.emplace("X-Api-Key", key);
  return server_->Client().Get(path.c_str(), h);
}

httplib::Result ApiServer::Post(const std::string& path, const std::string& key, const std::string& body) {
  httplib::Headers h;
  if (!key.empty()) h.emplace("X-Api-Key", key);
  return server_->Client().Post(path.c_str(), h, body, "application/json");
}

httplib::Result ApiServer::Delete(const std::string& path, const std::string& key) {
  httplib::Headers h;
  if (!key.empty()) h.emplace("X-Api-Key", key);
  return server_->Client().Delete(path.c_str(), h);
}

Json ApiServer::CreateCheck(const Json& spec) {
  auto res = Post("/api/v3/checks/", project_.rw_key, spec.dump());
  if (!res || (res->status != 201 && res->status != 200))
    throw std::runtime_error("create check failed: " + (res ? res->body : std::string("no reply")));
  return Json::parse(res->body);
}

Json ApiServer::GetCheck(const std::string& uuid) {
  auto res = Get("/api/v3/checks/" + uuid, project_.rw_key);
  if (!res || res->status != 200) throw std::runtime_error("get check failed");
  return Json::parse(res->body);
}

int ApiServer::Ping(const std::string& path) {
  auto res = server_->Client().Get(("/ping/" + path).c_str());
  return res ? res->status : -1;
}

}  // namespace dwtest
