// Tag and hidden-record tests on a record's description (ds), as the records
// query filters them (API.md, Queries): plain byte comparisons, so '%', '_' and
// '\' in a tag are literal, and case-insensitive for ASCII letters only.
#pragma once

#include <string_view>

namespace tagwatch {

// True when ds contains "#<tag>" followed by a space or the end of ds. `tag` may
// be given with or without its leading '#'; an empty tag matches every ds.
bool ds_has_tag(std::string_view ds, std::string_view tag);

// True when ds starts with "HIDDEN" (a soft-deleted record).
bool ds_is_hidden(std::string_view ds);

}  // namespace tagwatch
