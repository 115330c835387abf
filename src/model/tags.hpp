// Tags and the deleted mark of a record's description (ds), each rule written once.
//
// Two rules, as in TimeTagger, which has both: the tag set of a description is the client's
// (what the web app shows, reports and exports; tests/fixtures/tags.json holds the vectors
// that this file and www/app/common/tags.js both pass), while the records query's `tag` and
// `hidden` filters are the server's SQL LIKE: a plain search for "#tag" followed by a space
// or the end (so '%', '_' and '\' in a tag are literal), case-insensitive for ASCII letters
// only (docs/api.md, Queries).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tagwatch {

// The tag set of a description, TimeTagger's rule: a tag is '#' followed by one or more of
// A-Z a-z 0-9 - _ / or any non-ASCII character; it ends at any other character ("#foo.bar"
// is #foo), and a '#' right after a tag starts the next one ("#aa#bb"); a '#' with no tag
// character after it is no tag. Tags are lowercased as JavaScript does, unique, and sorted
// by UTF-16 code units as the web app sorts them. A description without tags has the one
// pseudo-tag "#untagged", as in TimeTagger.
std::vector<std::string> ds_tags(std::string_view ds);

// True when the client counts the record as deleted: ds starts with "HIDDEN", in capitals
// (TimeTagger's soft delete; the web app leaves such records out of every view and export).
bool ds_is_deleted(std::string_view ds);

// The records query's tag filter: true when ds contains "#<tag>" followed by a space or the
// end of ds. `tag` may be given with or without its leading '#'; an empty tag matches every
// ds.
bool ds_has_tag(std::string_view ds, std::string_view tag);

// The records query's hidden filter: true when ds starts with "HIDDEN" in any ASCII case.
bool ds_is_hidden(std::string_view ds);

}  // namespace tagwatch
