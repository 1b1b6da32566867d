// Receiver: a real HTTP (or HTTPS) server on 127.0.0.1 inside the test process, standing in for
// a webhook endpoint or a chat service. It records every request and answers with the statuses
// the test queues (200 once the queue is empty). A path prefix can be made to hang until the test
// releases it, to play a dead endpoint. Thread-safe: handlers run on the server's threads.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dwtest {

struct ReceivedRequest {
  std::string method;
  std::string path;  // with the query string
  std::string body;
  httplib::Headers headers;
  std::string Header(const std::string& name) const;
};

class Receiver {
 public:
  Receiver();  // plain HTTP
  Receiver(const std::string& cert_file, const std::string& key_file);  // HTTPS
  ~Receiver();
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port><path>" (https for the TLS receiver; host as given).
  std::string Url(const std::string& path, const std::string& host = "127.0.0.1") const;

  // The next answers, in order; each is a status and an optional body.
  void Queue(int status, std::string body = "", std::string retry_after = "");
  // Requests whose path starts with prefix wait until Release() (or the receiver stops).
  void HangOn(const std::string& prefix);
  void Release();

  std::vector<ReceivedRequest> Requests() const;
  size_t Count() const;
  // Waits until at least n requests arrived; false after the deadline.
  bool WaitFor(size_t n, std::chrono::seconds deadline = std::chrono::seconds(15)) const;
  // How many requests are being held by HangOn right now.
  size_t Hanging() const;

 private:
  void Start();
  struct Reply {
    int status;
    std::string body;
    std::string retry_after;
  };
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  bool tls_ = false;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<ReceivedRequest> requests_;
  std::deque<Reply> replies_;
  std::string hang_prefix_;
  bool released_ = false;
  size_t hanging_ = 0;
};

// A throwaway CA and a server certificate for 127.0.0.1 and localhost it signed, made with the
// openssl CLI into dir: ca.pem, server.pem, server.key.
void MakeTestCertificates(const std::string& dir);

}  // namespace dwtest
