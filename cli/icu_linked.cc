// rgs is linked statically (CMakeLists.txt: RGS_STATIC_CLI), so it cannot open ICU at run time
// as rgsd does: this links ICU's Windows-id mapping in and hands it to the time zone code.
#include <unicode/ucal.h>

#include "tz/zone.h"

namespace rgs::tz {
using WindowsToIana = int32_t (*)(const UChar*, int32_t, const char*, UChar*, int32_t, UErrorCode*);
extern const WindowsToIana kLinkedWindowsToIana;
const WindowsToIana kLinkedWindowsToIana = &ucal_getTimeZoneIDForWindowsID;
}  // namespace rgs::tz
