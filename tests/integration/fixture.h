// A running server with one project, its ping key and read-write and read-only API keys,
// created through the real CLI before the server starts. Helpers for JSON API calls.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

#include "integration/harness.h"

namespace dwtest {

using Json = nlohmann::json;

struct Project {
  std::string ping_key;
  std::string rw_key;
  std::string ro_key;
};

// Creates a project (and keys) in data_dir with the CLI. Works with the server running too.
Project MakeProject(const std::string& data_dir, const std::string& name);

class ApiServer {
 public:
  explicit ApiServer(std::string config_toml = "[checks]\nmin_timeout = \"1s\"\n",
                     std::vector<std::string> env = {});
  Server& server() { return *server_; }
  std::string data_dir() const { return data_ / "data"; }
  // Stops the server with `sig` (SIGKILL for a crash) and starts it again on the same data,
  // with config_toml when given, else the same config. Returns the old server's exit status.
  int Restart(int sig = 15, std::optional<std::string> config_toml = std::nullopt);
  const Project& project() const { return project_; }

  httplib::Result Get(const std::string& path, const std::string& key);
  httplib::Result Post(const std::string& path, const std::string& key, const std::string& body);
  httplib::Result Delete(const std::string& path, const std::string& key);
  // POST /api/v3/checks/ with the project's read-write key; returns the check JSON.
  Json CreateCheck(const Json& spec);
  Json GetCheck(const std::string& uuid);
  // GET /ping/<path>; returns the status.
  int Ping(const std::string& path);

 private:
  TempDir data_;
  Project project_;
  std::string config_toml_;
  std::vector<std::string> env_;
  std::unique_ptr<Server> server_;
};

}  // namespace dwtest
