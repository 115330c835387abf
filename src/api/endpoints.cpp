// The endpoints of TimeTagger's web API v2 (API.md, "Paths" and "Queries"): each a plain
// function named by verb and noun, and the one table that routes to them.
#include <cmath>
#include <tuple>

#include "api/server.hpp"
#include "api/shares.hpp"
#include "auth/seed.hpp"
#include "model/pyjson.hpp"
#include "store/store.hpp"

namespace tagwatch {

namespace {

constexpr size_t kMaxBody = 10 * 1024 * 1024;  // API.md: bodies over 10 MiB are refused (413)
constexpr int kMaxNesting = 128;                // deeper JSON is refused before any work
constexpr size_t kMaxItems = 100000;            // items in one PUT (a web client sends ~500)

// Looks over a JSON text before it is parsed: how deeply it nests and how many items its
// top-level list holds. A hostile 10 MiB body of `[[[[...` or of a million tiny items would
// otherwise cost hundreds of MB as a parsed document and as the answer listing them.
struct JsonShape {
    int depth = 0;
    size_t top_level_items = 0;
};

JsonShape json_shape(std::string_view text) {
    JsonShape shape;
    int depth = 0;
    bool in_string = false, item_open = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        if (depth == 1 && !item_open && c != ']' && c != ',') {
            item_open = true;
            ++shape.top_level_items;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            shape.depth = std::max(shape.depth, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == ',' && depth == 1) {
            item_open = false;
        }
    }
    return shape;
}

// Parses a JSON body (model/pyjson's parser: strict UTF-8, iterative, NaN accepted so that
// it fails its one item), after refusing deep nesting and too many items. Throws 400/413.
void parse_json_body(rapidjson::Document& doc, const std::string& body) {
    JsonShape shape = json_shape(body);
    if (shape.depth > kMaxNesting)
        throw HttpError(400, "bad request: the JSON is nested more than " + std::to_string(kMaxNesting) + " levels deep");
    if (shape.top_level_items > kMaxItems)
        throw HttpError(413, "payload too large: more than " + std::to_string(kMaxItems) +
                                 " items in one request; send them in batches");
    std::string error;
    if (!parse_json(body, doc, &error)) throw HttpError(400, "bad request: the body is not valid JSON: " + error);
}

// A truth-valued filter parameter: absent or empty means no filter (API.md, Queries).
std::optional<bool> filter_param(const Request& request, std::string_view name) {
    auto value = request.query_param(name);
    if (!value || value->empty()) return std::nullopt;
    return truthy_query_value(*value);
}

// "A-B": two finite decimal numbers without sign. Exponents may hold a '-', so every '-'
// is tried as the separator.
std::pair<double, double> parse_timerange(const std::string& text) {
    for (size_t pos = text.find('-'); pos != std::string::npos; pos = text.find('-', pos + 1)) {
        auto a = parse_api_number(std::string_view(text).substr(0, pos), false);
        auto b = parse_api_number(std::string_view(text).substr(pos + 1), false);
        if (a && b) return {std::trunc(*a), std::trunc(*b)};
    }
    throw HttpError(400, "bad request: timerange must be two finite numbers as A-B, not '" + text + "'");
}

Response get_version(Request&, const AuthInfo*) {
    return Response::json(std::string("{\"version\": ") + json_quote(TAGWATCH_VERSION) + "}");
}

Response get_updates(Request& request, const AuthInfo* auth) {
    auto since_text = request.query_param("since");
    if (!since_text) throw HttpError(400, "bad request: the since parameter is required");
    auto since = parse_api_number(*since_text, true);
    if (!since) throw HttpError(400, "bad request: since must be a finite number, not '" + *since_text + "'");
    // authenticate() has just looked at the store (the seed): the poll may trust that look.
    Updates updates = auth->store->get_updates(*since, true);
    std::string out;
    out.reserve(updates.records_json.size() + updates.settings_json.size() + 96);
    out += "{\"server_time\": ";
    out += py_float_repr(updates.server_time);
    out += updates.reset ? ", \"reset\": true, \"records\": " : ", \"reset\": false, \"records\": ";
    out += updates.records_json;
    out += ", \"settings\": ";
    out += updates.settings_json;
    out += "}";
    return Response::json(std::move(out));
}

Response get_records(Request& request, const AuthInfo* auth) {
    return Response::json("{\"records\": " + auth->store->get_records_json(records_query(request)) + "}");
}

Response get_settings(Request&, const AuthInfo* auth) {
    return Response::json("{\"settings\": " + auth->store->get_settings_json() + "}");
}

Response put_items(Request& request, const AuthInfo* auth, Kind kind) {
    const std::string& body = request.body(kMaxBody);
    rapidjson::Document doc;
    parse_json_body(doc, body);
    if (!doc.IsArray()) throw HttpError(400, "bad request: the body must be a JSON list of items");
    PutResult result = auth->store->put_items(kind, doc);
    return Response::json("{\"accepted\": " + json_string_list(result.accepted) +
                          ", \"failed\": " + json_string_list(result.failed) +
                          ", \"errors\": " + json_string_list(result.errors) + "}");
}

Response put_forcereset(Request&, const AuthInfo* auth) {
    auth->store->force_reset();
    return Response::json("{\"status\": \"ok\"}");
}

bool reset_requested(const Request& request) {
    auto reset = request.query_param("reset");
    return reset && truthy_query_value(*reset);
}

Response get_webtoken(Server& server, Request& request, const AuthInfo* auth) {
    if (auth->is_apitoken) throw HttpError(403, "forbidden: /webtoken can only be used with a webtoken");
    return Response::json("{\"token\": " + json_quote(server.issue_webtoken(auth->username, reset_requested(request))) + "}");
}

Response get_apitoken(Server& server, Request& request, const AuthInfo* auth) {
    if (auth->is_apitoken) throw HttpError(403, "forbidden: /apitoken can only be used with a webtoken");
    return Response::json("{\"token\": " + json_quote(server.issue_apitoken(auth->username, reset_requested(request))) + "}");
}

}  // namespace

RecordFilter records_query(const Request& request) {
    auto timerange = request.query_param("timerange");
    if (!timerange) throw HttpError(400, "bad request: the timerange parameter is required");
    RecordFilter filter{};
    std::tie(filter.t_from, filter.t_to) = parse_timerange(*timerange);
    filter.running = filter_param(request, "running");
    filter.hidden = filter_param(request, "hidden");
    if (auto tags = request.query_param("tag")) {
        size_t start = 0;
        while (start <= tags->size()) {
            size_t comma = tags->find(',', start);
            std::string tag = tags->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            while (!tag.empty() && tag.front() == ' ') tag.erase(0, 1);
            while (!tag.empty() && tag.back() == ' ') tag.pop_back();
            while (!tag.empty() && tag.front() == '#') tag.erase(0, 1);
            if (!tag.empty()) filter.tags.push_back(tag);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return filter;
}

// The routing table of the built-in API. Order within a name gives the order of methods in
// the 405 message ("GET and PUT").
void Server::add_standard_routes() {
    auto bind = [this](Response (*fn)(Server&, Request&, const AuthInfo*)) {
        return [this, fn](Request& r, const AuthInfo* a) { return fn(*this, r, a); };
    };
    add_endpoint("POST", "bootstrap_authentication", false,
                 [this](Request& r, const AuthInfo*) { return bootstrap_authentication(r); });
    add_endpoint("GET", "version", true, get_version);
    add_endpoint("GET", "updates", true, get_updates);
    add_endpoint("GET", "records", true, get_records);
    add_endpoint("PUT", "records", true, [](Request& r, const AuthInfo* a) { return put_items(r, a, Kind::records); });
    add_endpoint("GET", "settings", true, get_settings);
    add_endpoint("PUT", "settings", true, [](Request& r, const AuthInfo* a) { return put_items(r, a, Kind::settings); });
    add_endpoint("PUT", "forcereset", true, put_forcereset);
    add_endpoint("GET", "webtoken", true, bind(get_webtoken));
    add_endpoint("GET", "apitoken", true, bind(get_apitoken));
    add_share_routes(*this);
    add_team_routes(*this);
}

}  // namespace tagwatch
