// The handlers of TimeTagger's web API v2 (docs/webapi.md) and of the paths around it
// (the site's root, status, the API root): each a plain function named by verb and noun,
// routed to by the table of src/api/routes.cpp. Logging in is in login.cpp.
#include <cmath>
#include <tuple>

#include "api/handlers.hpp"
#include "auth/seed.hpp"
#include "model/pyjson.hpp"
#include "store/store.hpp"
#include "util/text.hpp"

namespace tagwatch {

namespace {

constexpr size_t kMaxBody = 10 * 1024 * 1024;  // bodies over 10 MiB are refused (413)
constexpr int kMaxNesting = 128;               // deeper JSON is refused before any work
constexpr size_t kMaxItems = 100000;           // items in one PUT (a web client sends ~500)

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
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
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
        throw HttpError(400, "bad request: the JSON is nested more than " +
                                 std::to_string(kMaxNesting) + " levels deep");
    if (shape.top_level_items > kMaxItems)
        throw HttpError(413, "payload too large: more than " + std::to_string(kMaxItems) +
                                 " items in one request; send them in batches");
    std::string error;
    if (!parse_json(body, doc, &error))
        throw HttpError(400, "bad request: the body is not valid JSON: " + error);
}

// A truth-valued filter parameter: absent or empty means no filter (docs/webapi.md, Queries).
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
    throw HttpError(400,
                    "bad request: timerange must be two finite numbers as A-B, not '" + text + "'");
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

// ?reset=1: any value but empty, false, off, no, n or 0.
bool reset_requested(const Request& request) {
    auto reset = request.query_param("reset");
    return reset && truthy_query_value(*reset);
}

}  // namespace

// / (the site's root, outside P), any method: 307 to P, or to P + app/ when app_redirect is
// on. With P = "/" and no app_redirect "/" is the landing page, which the web server serves:
// 404 here.
Response redirect_site_root(Server& server, Request&, const AuthInfo*) {
    const Config& config = server.config();
    if (!config.app_redirect && config.path_prefix == "/") throw HttpError(404, "not found: /");
    const std::string to = config.app_redirect ? config.path_prefix + "app/" : config.path_prefix;
    Response r = Response::text(307, "redirecting to " + to);
    r.headers.emplace_back("Location", to);
    return r;
}

// P + status, any method, no token: 200 "ok" (TimeTagger answers every method).
Response get_status(Server&, Request&, const AuthInfo*) { return Response::text(200, "ok"); }

// P + api/v2/ (also api/v2//), GET or HEAD, no token: 200, a plain-text pointer to the docs.
// Another method is an unknown path to TimeTagger: 401 without a token, else 404.
Response get_api_root(Server&, Request&, const AuthInfo*) {
    return Response::text(
        200,
        "tagwatch serves TimeTagger's web API, version 2, under this path.\n"
        "It is described for client writers in docs/webapi.md, in full (every status and\n"
        "text) in docs/api.md, and the C++ library the server is built on in docs/libapi.md;\n"
        "all come with the source and the release.\n");
}

// P + api/v2/version, GET, token: 200 {"version": "<server version>"}.
Response get_version(Server&, Request&, const AuthInfo*) {
    return Response::json(std::string("{\"version\": ") + json_quote(TAGWATCH_VERSION) + "}");
}

// P + api/v2/updates?since=T, GET, token: 200 {"server_time", "reset", "records", "settings"}
// with every item whose st >= T (all of them, and reset true, when T is at or before the
// last force-reset). 400 when since is missing or not a finite number.
Response get_updates(Server&, Request& request, const AuthInfo* auth) {
    auto since_text = request.query_param("since");
    if (!since_text) throw HttpError(400, "bad request: the since parameter is required");
    auto since = parse_api_number(*since_text, true);
    if (!since)
        throw HttpError(400,
                        "bad request: since must be a finite number, not '" + *since_text + "'");
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

// P + api/v2/records?timerange=A-B[&running=][&hidden=][&tag=], GET, token: 200
// {"records": [...]}, the records overlapping [A, B] that pass the filters (records_query).
// 400 when the timerange is missing or not two finite numbers.
Response get_records(Server&, Request& request, const AuthInfo* auth) {
    return Response::json("{\"records\": " + auth->store->get_records_json(records_query(request)) +
                          "}");
}

// P + api/v2/records, PUT, token, body a JSON list of records: 200 {"accepted", "failed",
// "errors"}, one entry per item. 413 over 10 MiB (from CONTENT_LENGTH, before reading); 400
// when the body is not a JSON list.
Response put_records(Server&, Request& request, const AuthInfo* auth) {
    return put_items(request, auth, Kind::records);
}

// P + api/v2/settings, GET, token: 200 {"settings": [...]}.
Response get_settings(Server&, Request&, const AuthInfo* auth) {
    return Response::json("{\"settings\": " + auth->store->get_settings_json() + "}");
}

// P + api/v2/settings, PUT, token, body a JSON list of settings: as PUT records.
Response put_settings(Server&, Request& request, const AuthInfo* auth) {
    return put_items(request, auth, Kind::settings);
}

// P + api/v2/forcereset, PUT, token: 200 {"status": "ok"}; every client drops its cache at
// its next poll.
Response put_forcereset(Server&, Request&, const AuthInfo* auth) {
    auth->store->force_reset();
    return Response::json("{\"status\": \"ok\"}");
}

// P + api/v2/webtoken[?reset=1], GET, webtoken: 200 {"token": a new webtoken}; reset first
// revokes every earlier webtoken. 403 with an apitoken (TimeTagger's text).
Response get_webtoken(Server& server, Request& request, const AuthInfo* auth) {
    if (auth->is_apitoken) throw HttpError(403, "forbidden: /webtoken needs auth with a web-token");
    return Response::json(
        "{\"token\": " +
        json_quote(server.issue_webtoken(auth->username, reset_requested(request))) + "}");
}

// P + api/v2/apitoken[?reset=1], GET, webtoken: 200 {"token": the apitoken}; reset first
// revokes every earlier apitoken. 403 with an apitoken (TimeTagger's text).
Response get_apitoken(Server& server, Request& request, const AuthInfo* auth) {
    if (auth->is_apitoken) throw HttpError(403, "forbidden: /apitoken needs auth with a web-token");
    return Response::json(
        "{\"token\": " +
        json_quote(server.issue_apitoken(auth->username, reset_requested(request))) + "}");
}

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
            std::string_view tag = trim(std::string_view(*tags).substr(
                start, comma == std::string::npos ? std::string::npos : comma - start));
            while (!tag.empty() && tag.front() == '#') tag.remove_prefix(1);
            if (!tag.empty()) filter.tags.emplace_back(tag);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return filter;
}

}  // namespace tagwatch
