// Native TLS ([server.tls], docs/tls-and-proxies.md) with the real binary, real certificates made
// by the openssl CLI and real curl: HTTPS serves the API and pings, plain HTTP to the port is
// refused without harm, SIGHUP picks up a renewed certificate for new handshakes, a broken one
// keeps the old, and bad files stop the start-up with a message naming the key.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "integration/fixture.h"

using namespace dwtest;

namespace {

void Openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  auto r = RunProgram(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// <name>.pem and <name>.key: a self-signed CA.
void MakeCa(const TempDir& dir, const std::string& name) {
  Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-keyout", dir / (name + ".key"), "-out", dir / (name + ".pem"), "-days", "30", "-subj",
           "/CN=dogwatch test " + name});
}

// <name>.crt (the certificate, then the CA as its chain, like certbot's fullchain.pem) and
// <name>.key: a server certificate for 127.0.0.1 (IP SAN) signed by `ca`.
void MakeServerCert(const TempDir& dir, const std::string& ca, const std::string& name, int days) {
  WriteFile(dir / "ext.cnf",
            "subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\nextendedKeyUsage = "
            "serverAuth\n");
  Openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
           dir / (name + ".key"), "-out", dir / (name + ".csr"), "-subj", "/CN=127.0.0.1"});
  Openssl({"x509", "-req", "-in", dir / (name + ".csr"), "-CA", dir / (ca + ".pem"), "-CAkey",
           dir / (ca + ".key"), "-CAcreateserial", "-out", dir / (name + ".leaf"), "-days",
           std::to_string(days), "-extfile", dir / "ext.cnf"});
  WriteFile(dir / (name + ".crt"),
            ReadFile(dir / (name + ".leaf")) + ReadFile(dir / (ca + ".pem")));
}

std::string TlsConfig(const std::string& cert, const std::string& key) {
  return "[checks]\nmin_timeout = \"1s\"\n[server]\nbase_url = \"https://127.0.0.1\"\nread_timeout "
         "= \"2s\"\n[server.tls]\ncert_file = \"" +
         cert + "\"\nkey_file = \"" + key + "\"\n";
}

struct TlsServer {
  TempDir dir;  // certificates and the files the server reads
  TempDir data;
  Project project;
  std::unique_ptr<Server> server;
  int port = 0;

  TlsServer() {
    MakeCa(dir, "ca1");
    MakeServerCert(dir, "ca1", "server1", 5);  // expires within 14 days: a warning
    WriteFile(dir / "cert.pem", ReadFile(dir / "server1.crt"));
    WriteFile(dir / "key.pem", ReadFile(dir / "server1.key"));
    project = MakeProject(data / "data", "Test");
    server = std::make_unique<Server>(
        Server::Options{.config_toml = TlsConfig(dir / "cert.pem", dir / "key.pem"),
                        .data_dir = data / "data",
                        .wait_ready = false});
    bool ready = Eventually([&] {
      auto text = ReadFile(server->dir() / "port");
      if (text.empty() || !server->Running()) return !server->Running();
      port = std::stoi(text);
      return Curl("ca1", "/api/v3/status").exit_code == 0;
    });
    INFO(server->Log());
    REQUIRE(ready);
    REQUIRE(server->Running());
  }

  std::string Url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(port) + path;
  }

  // curl with only `ca` trusted; extra arguments go before the URL.
  CommandResult Curl(const std::string& ca, const std::string& path,
                     std::vector<std::string> extra = {}) const {
    std::vector<std::string> argv{"/usr/bin/curl",    "-sS", "--max-time", "5", "--cacert",
                                  dir / (ca + ".pem")};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(Url(path));
    return RunProgram(argv);
  }
  std::vector<std::string> Key() const { return {"-H", "X-Api-Key: " + project.rw_key}; }

  void Hup() const { REQUIRE(::kill(server->pid(), SIGHUP) == 0); }
  size_t Count(const std::string& needle) const {
    size_t n = 0;
    std::string log = server->Log();
    for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
    return n;
  }
};

// Connects, sends the first bytes of a TLS record and no more; returns how long the server took
// to close the connection (or -1 s if it had not after 10 s).
std::chrono::milliseconds StalledHandshake(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(send(fd, "\x16\x03\x01", 3, MSG_NOSIGNAL) == 3);
  auto start = std::chrono::steady_clock::now();
  pollfd p{fd, POLLIN, 0};
  char byte;
  bool closed = poll(&p, 1, 10000) == 1 && recv(fd, &byte, 1, 0) <= 0;
  close(fd);
  if (!closed) return std::chrono::milliseconds(-1000);
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

}  // namespace

TEST_CASE(
    "tls: HTTPS serves the API and pings, refuses plain HTTP, and SIGHUP swaps the certificate") {
  TlsServer t;
  CHECK(t.Count("tls_ready subject=CN=127.0.0.1") == 1);
  CHECK(t.Count("tls_expires_soon") == 1);

  auto status = t.Curl("ca1", "/api/v3/status");
  CHECK(status.out == "OK");

  // A ping over HTTPS is recorded, with https as its scheme.
  auto key = t.Key();
  auto made = t.Curl("ca1", "/api/v3/checks/",
                     {"-H", key[1], "-H", "Content-Type: application/json", "-d",
                      R"({"name": "tls", "timeout": 60, "grace": 60})"});
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  Json check = Json::parse(made.out);
  std::string uuid = check["ping_url"].get<std::string>().substr(
      check["ping_url"].get<std::string>().rfind('/') + 1);
  REQUIRE(uuid.size() == 36);
  CHECK(t.Curl("ca1", "/ping/" + uuid).out == "OK");
  auto shown = t.Curl("ca1", "/api/v3/checks/" + uuid, key);
  REQUIRE(shown.exit_code == 0);
  CHECK(Json::parse(shown.out)["n_pings"] == 1);
  auto pings = t.Curl("ca1", "/api/v3/checks/" + uuid + "/pings/", key);
  REQUIRE(pings.exit_code == 0);
  CHECK(Json::parse(pings.out)["pings"][0]["scheme"] == "https");
  // A POST without Content-Length (Healthchecks' documented pause call) is not held open.
  auto pause = t.Curl("ca1", "/api/v3/checks/" + uuid + "/pause",
                      {"-X", "POST", "-H", key[1], "--max-time", "3"});
  CHECK_MESSAGE(pause.exit_code == 0, pause.err);

  // Plain HTTP to the TLS port: a 400 that says so, and the server carries on.
  httplib::Client plain("127.0.0.1", t.port);
  plain.set_read_timeout(3);
  auto res = plain.Get("/api/v3/status");
  if (res) CHECK(res->status == 400);
  CHECK(t.server->Running());
  CHECK(t.Curl("ca1", "/api/v3/status").exit_code == 0);

  // Renewal: a certificate from another CA, then SIGHUP. New handshakes get it.
  MakeCa(t.dir, "ca2");
  MakeServerCert(t.dir, "ca2", "server2", 30);
  WriteFile(t.dir / "cert.pem", ReadFile(t.dir / "server2.crt"));
  WriteFile(t.dir / "key.pem", ReadFile(t.dir / "server2.key"));
  t.Hup();
  CHECK(Eventually([&] { return t.Curl("ca2", "/api/v3/status").exit_code == 0; }));
  CHECK(t.Count("tls_reloaded subject=CN=127.0.0.1") == 1);
  auto old_ca = t.Curl("ca1", "/api/v3/status");
  CHECK(old_ca.exit_code == 60);  // curl: peer certificate cannot be authenticated

  // A broken certificate file: logged, and the previous pair is still served.
  WriteFile(t.dir / "cert.pem",
            "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
  t.Hup();
  CHECK(Eventually([&] { return t.Count("tls_reload_failed") == 1; }));
  CHECK(t.server->Log().find("server.tls.cert_file") != std::string::npos);
  CHECK(t.Curl("ca2", "/api/v3/status").out == "OK");
  // A key that is not the certificate's: the same.
  WriteFile(t.dir / "cert.pem", ReadFile(t.dir / "server2.crt"));
  WriteFile(t.dir / "key.pem", ReadFile(t.dir / "server1.key"));
  t.Hup();
  CHECK(Eventually([&] { return t.Count("tls_reload_failed") == 2; }));
  CHECK(t.Curl("ca2", "/api/v3/status").out == "OK");

  // A client that stalls in the handshake (slowloris) is cut off after read_timeout (2 s).
  auto stalled = StalledHandshake(t.port);
  CHECK(stalled >= std::chrono::milliseconds(1500));
  CHECK(stalled < std::chrono::milliseconds(6000));

  CHECK(t.server->Stop() == 0);
}

TEST_CASE("tls: bad [server.tls] files stop the start-up with the key named") {
  TempDir dir;
  MakeCa(dir, "ca");
  MakeServerCert(dir, "ca", "a", 30);
  MakeServerCert(dir, "ca", "b", 30);
  struct Case {
    std::string toml;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"[server.tls]\ncert_file = \"" + dir / "a.crt" + "\"\n", {"server.tls.key_file: missing"}},
      {TlsConfig(dir / "missing.crt", dir / "a.key"),
       {"server.tls.cert_file", dir / "missing.crt"}},
      {TlsConfig(dir / "a.crt", dir / "a.csr"), {"server.tls.key_file", dir / "a.csr"}},
      {TlsConfig(dir / "a.crt", dir / "b.key"),
       {"server.tls.key_file", dir / "b.key", "is not the key"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.toml);
    WriteFile(dir / "dogwatch.toml", c.toml);
    auto serve = RunCommand({"serve", "--config", dir / "dogwatch.toml", "--listen", "127.0.0.1:0",
                             "--data-dir", dir / "data"},
                            "", {}, std::chrono::seconds(20));
    CHECK(serve.exit_code == 1);
    auto check = RunCommand({"config", "check", "--config", dir / "dogwatch.toml"});
    CHECK(check.exit_code == 1);
    for (const auto& e : c.expected) {
      CHECK_MESSAGE(serve.err.find(e) != std::string::npos, serve.err);
      CHECK_MESSAGE(check.err.find(e) != std::string::npos, check.err);
    }
  }
  WriteFile(dir / "dogwatch.toml", TlsConfig(dir / "a.crt", dir / "a.key"));
  auto ok = RunCommand({"config", "check", "--config", dir / "dogwatch.toml"});
  CHECK_MESSAGE(ok.exit_code == 0, ok.err);
  CHECK(ok.out.find("[server.tls]\ncert_file = \"" + dir / "a.crt" + "\"") != std::string::npos);
}
