// Result<T>: a value or an Error, for outcomes the caller is expected to handle (bad input, unknown
// check, failed send). Shaped like C++23 std::expected (has_value, value, error, Unexpected) so it
// can become an alias later. Thread-compatible: a Result is a plain value.
#pragma once

#include <fmt/format.h>

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace dogwatch {

enum class Errc {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kConflict,  // e.g. an ambiguous slug, resuming a check that is not paused
  kUnauthenticated,
  kPermissionDenied,
  kTooLarge,
  kRateLimited,
  kUnavailable,
  kInternal,
};

const char* ErrcName(Errc code);

struct Error {
  Errc code;
  std::string message;
};

struct Unexpected {
  Error error;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit, like std::expected
  Result(Unexpected u) : v_(std::move(u.error)) {}  // NOLINT
  Result(Error e) : v_(std::move(e)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { assert(has_value() && "Result::value() on an error"); return std::get<0>(v_); }
  const T& value() const& { assert(has_value() && "Result::value() on an error"); return std::get<0>(v_); }
  T&& value() && { assert(has_value() && "Result::value() on an error"); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!has_value() && "Result::error() on a value"); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : err_(std::move(u.error)), ok_(false) {}  // NOLINT
  Result(Error e) : err_(std::move(e)), ok_(false) {}  // NOLINT
  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_ && "Result::error() on a value"); return err_; }

 private:
  Error err_{Errc::kInternal, {}};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

// Fail(Errc::kInvalidArgument, "cron needs 5 fields, got {}", n)
template <typename... Args>
Unexpected Fail(Errc code, fmt::format_string<Args...> format, Args&&... args) {
  return Unexpected{Error{code, fmt::format(format, std::forward<Args>(args)...)}};
}

}  // namespace dogwatch
