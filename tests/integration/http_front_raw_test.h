// A raw TCP connection for the front's tests (http_front_*_test.cpp): the requests httplib's
// client will not send (pipelined, split into pieces, trickled, half-written) and the exact
// bytes that come back. Single-threaded use per connection.
#pragma once

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>
#include <thread>

namespace dwtest {

class RawConn {
 public:
  explicit RawConn(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    // Each Send() leaves as its own segment, so "split across writes" really is split.
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawConn() { close(fd_); }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  // False once the server has closed the connection.
  bool Send(std::string_view bytes) {
    return send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Sends bytes in pieces of `piece` bytes, `gap` apart.
  bool SendInPieces(std::string_view bytes, size_t piece, std::chrono::milliseconds gap) {
    for (size_t i = 0; i < bytes.size(); i += piece) {
      if (!Send(bytes.substr(i, piece))) return false;
      std::this_thread::sleep_for(gap);
    }
    return true;
  }

  // One response (or a "100 Continue"): its head and, unless head_only, its Content-Length
  // body. "" if the server closed first or nothing complete came within timeout.
  std::string ReadResponse(bool head_only = false,
                           std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto end = std::chrono::steady_clock::now() + timeout;
    size_t head_end;
    while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos)
      if (!Fill(end)) return "";
    head_end += 4;
    size_t want = head_end;
    if (!head_only) want += ContentLength(pending_.substr(0, head_end));
    while (pending_.size() < want)
      if (!Fill(end)) return "";
    std::string response = pending_.substr(0, want);
    pending_.erase(0, want);
    return response;
  }

  // Waits for the server to close the connection; true if it did within timeout. Whatever it
  // sent first is discarded.
  bool ClosedByServer(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (Fill(end)) {
    }
    return eof_;
  }

  int fd() const { return fd_; }

 private:
  // Reads more into pending_; false at EOF, on error or at the deadline.
  bool Fill(std::chrono::steady_clock::time_point end) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[4096];
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    pending_.append(buf, static_cast<size_t>(n));
    return true;
  }

  static size_t ContentLength(const std::string& head) {
    std::string lower = head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t at = lower.find("\r\ncontent-length: ");
    return at == std::string::npos ? 0 : std::stoul(head.substr(at + 18));
  }

  int fd_ = -1;
  bool eof_ = false;
  std::string pending_;
};

// 200 for "HTTP/1.1 200 OK\r\n...", 0 for anything else.
inline int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

inline std::string BodyOf(const std::string& response) {
  size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

// The value of header `name` (exact case, as the server writes it), or "".
inline std::string HeaderOf(const std::string& response, const std::string& name) {
  size_t at = response.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return response.substr(at, response.find("\r\n", at) - at);
}

}  // namespace dwtest
