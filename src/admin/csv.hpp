// CSV for `tagwatch-admin export --format csv`: RFC 4180 fields and rows (the tags column
// comes from src/model/tags.hpp). Header-only so tests/unit/admin_test.cpp can test it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tagwatch::admin {

// A field, quoted when it holds a comma, quote, CR or LF, or starts with a character a
// spreadsheet would run as a formula (=, +, -, @): those get a leading apostrophe too, so a
// description like "=HYPERLINK(...)" stays text.
inline std::string csv_field(std::string_view text) {
    std::string value;
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@') &&
        !(text[0] == '-' && text.size() > 1 && text[1] >= '0' && text[1] <= '9'))
        value = "'";
    value += text;
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

inline std::string csv_row(const std::vector<std::string>& fields) {
    std::string row;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) row += ',';
        row += csv_field(fields[i]);
    }
    return row + "\r\n";
}

}  // namespace tagwatch::admin
