// The configuration rgsd and the call simulator serve, read from the store (core/snapshot.h).
#pragma once

#include <memory>

#include "core/snapshot.h"
#include "core/status.h"

namespace rgs::store {

class Store;

Result<std::shared_ptr<const core::Snapshot>> LoadSnapshot(Store& store);
// The store's current state from `base` (loaded at base.revision) and the objects changed since,
// which are all it reads: the same result as LoadSnapshot, in a fraction of the time for a large
// configuration. `revision` is the store's current revision.
Result<std::shared_ptr<const core::Snapshot>> UpdateSnapshot(Store& store, const core::Snapshot& base,
                                                             int64_t revision);

}  // namespace rgs::store
