// A running server with one project, its ping key and read-write and read-only API keys,
// created through the real CLI before the server starts. Helpers for JSON API calls.
#pragma once

#include <nlohmann/json.hpp>

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
  explicit ApiServer(std::string config_toml = "[checks]\nmin_timeout = \"1s\"\n");
  Server& server() { return *server_; }
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
  std::unique_ptr<Server> server_;
};

}  // namespace dwtest
