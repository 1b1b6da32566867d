#include "dogwatch/core/result.h"

namespace dogwatch {

const char* ErrcName(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument: return "invalid_argument";
    case Errc::kNotFound: return "not_found";
    case Errc::kAlreadyExists: return "already_exists";
    case Errc::kConflict: return "conflict";
    case Errc::kUnauthenticated: return "unauthenticated";
    case Errc::kPermissionDenied: return "permission_denied";
    case Errc::kTooLarge: return "too_large";
    case Errc::kRateLimited: return "rate_limited";
    case Errc::kUnavailable: return "unavailable";
    case Errc::kInternal: return "internal";
  }
  return "unknown";
}

}  // namespace dogwatch
