// The exit statuses of rgs (man/rgs.1, EXIT STATUS): one function maps every engine code.
#include "cli/context.h"

namespace rgs::cli {

int ExitStatus(Code code) {
  switch (code) {
    case Code::kOk: return 0;
    case Code::kUsage: return 2;
    case Code::kNotFound: return 3;
    case Code::kAlreadyExists: return 4;
    case Code::kInvalid: return 5;
    case Code::kConflict: return 6;
    case Code::kPermissionDenied: return 7;
    case Code::kIoError:
    case Code::kCorrupt:
    case Code::kInternal: return 1;
  }
  return 1;
}

}  // namespace rgs::cli
