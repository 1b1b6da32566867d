#include "integration/receiver.h"

#include <stdexcept>

#include "integration/harness.h"

namespace dwtest {

std::string ReceivedRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

Receiver::Receiver() : server_(std::make_unique<httplib::Server>()) { Start(); }

Receiver::Receiver(const std::string& cert_file, const std::string& key_file)
    : server_(std::make_unique<httplib::SSLServer>(cert_file.c_str(), key_file.c_str())), tls_(true) {
  if (!server_->is_valid()) throw std::runtime_error("receiver: bad certificate or key");
  Start();
}

void Receiver::Start() {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    ReceivedRequest r{req.method, req.target, req.body, req.headers};
    std::unique_lock<std::mutex> lock(mu_);
    requests_.push_back(r);
    cv_.notify_all();
    if (!hang_prefix_.empty() && req.path.rfind(hang_prefix_, 0) == 0) {
      ++hanging_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return released_; });
      --hanging_;
    }
    Reply reply{200, "ok", ""};
    if (!replies_.empty()) {
      reply = replies_.front();
      replies_.pop_front();
    }
    res.status = reply.status;
    if (!reply.retry_after.empty()) res.set_header("Retry-After", reply.retry_after);
    res.set_content(reply.body, "text/plain");
  };
  const char* any = R"(/.*)";
  server_->Get(any, handler);
  server_->Post(any, handler);
  server_->Put(any, handler);
  server_->Delete(any, handler);
  server_->Patch(any, handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("receiver: cannot bind");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

Receiver::~Receiver() {
  Release();
  server_->stop();
  thread_.join();
}

std::string Receiver::Url(const std::string& path, const std::string& host) const {
  return std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_) + path;
}

void Receiver::Queue(int status, std::string body, std::string retry_after) {
  std::lock_guard<std::mutex> lock(mu_);
  replies_.push_back({status, std::move(body), std::move(retry_after)});
}

void Receiver::HangOn(const std::string& prefix) {
  std::lock_guard<std::mutex> lock(mu_);
  hang_prefix_ = prefix;
  released_ = false;
}

void Receiver::Release() {
  std::lock_guard<std::mutex> lock(mu_);
  released_ = true;
  cv_.notify_all();
}

std::vector<ReceivedRequest> Receiver::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t Receiver::Count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

size_t Receiver::Hanging() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hanging_;
}

bool Receiver::WaitFor(size_t n, std::chrono::seconds deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, deadline, [&] { return requests_.size() >= n; });
}

void MakeTestCertificates(const std::string& dir) {
  auto run = [](std::vector<std::string> argv) {
    auto r = RunProgram(std::move(argv));
    if (r.exit_code != 0) throw std::runtime_error("openssl: " + r.err);
  };
  WriteFile(dir + "/san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
       "-subj", "/CN=dogwatch test CA", "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem"});
  run({"/usr/bin/openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
       "-keyout", dir + "/server.key", "-out", dir + "/server.csr"});
  run({"/usr/bin/openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.pem",
       "-CAkey", dir + "/ca.key", "-CAcreateserial", "-days", "2", "-extfile", dir + "/san.ext",
       "-out", dir + "/server.pem"});
}

}  // namespace dwtest
