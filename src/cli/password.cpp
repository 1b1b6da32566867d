#include "password.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace dogwatch::cli {
namespace {

std::string PromptHidden(const char* prompt) {
  std::cerr << prompt << std::flush;
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << "\n";
  return line;
}

}  // namespace

Result<std::string> ReadNewPassword(bool from_stdin) {
  std::string password;
  if (from_stdin) {
    if (!std::getline(std::cin, password) && password.empty())
      return Fail(Errc::kInvalidArgument, "--password-stdin: no password on standard input");
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else {
    if (!isatty(STDIN_FILENO))
      return Fail(Errc::kInvalidArgument,
                  "standard input is not a terminal; pass the password with --password-stdin");
    password = PromptHidden("New password: ");
    if (PromptHidden("Repeat password: ") != password)
      return Fail(Errc::kInvalidArgument, "the passwords do not match");
  }
  if (password.size() < kMinPasswordLength)
    return Fail(Errc::kInvalidArgument, "password: must be at least {} characters", kMinPasswordLength);
  return password;
}

}  // namespace dogwatch::cli
