// Picking records by their tags as the web app reads them (model/tags.hpp, ds_tags) out of
// a JSON array of stored records, for the answers that show someone else's time: a share
// link's records and a team's (docs/api.md, "Extensions of ours: shares and teams").
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tagwatch {

struct Selection {
    std::string json = "[]";                      // the kept records, a JSON array
    size_t count = 0;                             // how many were kept
    std::set<std::vector<std::string>> tag_sets;  // the tag set (ds_tags) of each kept one
};

// The records of `records_json` (an array of record objects, as UserStore answers) whose
// tag set holds every tag of `tags` (need_all) or at least one (!need_all); an empty
// `tags` keeps every record. Tags are given as ds_tags writes them ("#tag", lower case).
// With `user`, each kept record gains the member "user" with that value (it must not have
// one: stored records keep only their known fields). Kept records are copied as they are
// (one pass, nothing built). std::runtime_error when `records_json` is not an array of
// objects.
Selection select_records(std::string_view records_json, const std::vector<std::string>& tags,
                         bool need_all, std::string_view user = {});

// A tag as a share or a team keeps it: "#tag" in lower case, from "tag", "#tag" or "#Tag";
// empty when `text` is not exactly one tag (ds_tags's rule).
std::string normalize_tag(std::string_view text);

}  // namespace tagwatch
