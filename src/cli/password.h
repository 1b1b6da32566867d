// Reading a new password: one line from stdin (--password-stdin), or twice from the terminal
// with echo off. Main thread only.
#pragma once

#include <string>

#include "dogwatch/core/result.h"
#include "dogwatch/model/types.h"

namespace dogwatch::cli {

Result<std::string> ReadNewPassword(bool from_stdin);

}  // namespace dogwatch::cli
