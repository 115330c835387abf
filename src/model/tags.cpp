// Tag matching on descriptions; see tags.hpp for the rule.
#include "model/tags.hpp"

#include "util/text.hpp"

namespace tagwatch {

bool ds_has_tag(std::string_view ds, std::string_view tag) {
    if (!tag.empty() && tag.front() == '#') tag.remove_prefix(1);
    if (tag.empty()) return true;
    for (size_t pos = ds.find('#'); pos != std::string_view::npos; pos = ds.find('#', pos + 1)) {
        const size_t end = pos + 1 + tag.size();
        if (end > ds.size()) break;
        if (iequals_ascii(ds.substr(pos + 1, tag.size()), tag) && (end == ds.size() || ds[end] == ' '))
            return true;
    }
    return false;
}

bool ds_is_hidden(std::string_view ds) { return ds.size() >= 6 && iequals_ascii(ds.substr(0, 6), "HIDDEN"); }

}  // namespace tagwatch
