// Share links (shares.hpp): the share as stored, its token, the endpoints that make, list
// and revoke links, and the answers a link's token gets.
#include "api/shares.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "api/handlers.hpp"
#include "auth/seed.hpp"
#include "model/pyjson.hpp"
#include "model/select.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"
#include "util/utf8.hpp"
#include "util/zoned.hpp"

namespace tagwatch {

namespace {

constexpr const char* kSharePrefix = "tagwatch_share_";
constexpr size_t kMaxShares = 200;           // links per user: the userinfo table stays small
constexpr size_t kMaxShareBody = 64 * 1024;  // a POST shares body
constexpr size_t kMaxTags = 20;
constexpr size_t kMaxTitle = 255;           // characters, as a record's ds
constexpr int64_t kNoExpiry = 32503748400;  // the token's expires when the link has none

struct PeriodName {
    const char* name;
    const char* unit;
    int offset;
};
constexpr PeriodName kPeriods[] = {
    {"thisweek", "week", 0},    {"lastweek", "week", -1}, {"thismonth", "month", 0},
    {"lastmonth", "month", -1}, {"thisyear", "year", 0},  {"lastyear", "year", -1},
};

const PeriodName* find_period(std::string_view name) {
    for (const auto& p : kPeriods)
        if (name == p.name) return &p;
    return nullptr;
}

[[noreturn]] void bad_request(const std::string& why) {
    throw HttpError(400, "bad request: " + why);
}

std::string int_text(int64_t v) { return std::to_string(v); }

// A share as JSON: the stored form (with its secret), or what its owner sees (GET shares:
// without the secret, with the link's token).
std::string share_json(const Share& s, const std::string* token) {
    std::string out = "{\"id\": " + json_quote(s.id);
    if (!token) out += ", \"secret\": " + json_quote(s.secret);
    out += ", \"title\": " + json_quote(s.title) + ", \"tags\": " + json_string_list(s.tags);
    if (s.period.empty())
        out += ", \"timerange\": \"" + int_text(s.t1) + "-" + int_text(s.t2) + "\"";
    else
        out += ", \"period\": \"" + s.period + "\"";
    out += ", \"expires\": " + (s.expires ? int_text(*s.expires) : std::string("null"));
    out += ", \"created\": " + py_float_repr(s.created);
    out += std::string(", \"amounts\": ") + (s.amounts ? "true" : "false");
    out += ", \"timezone\": " + json_quote(s.timezone) +
           ", \"week_start\": " + std::to_string(s.week_start);
    if (token) out += ", \"token\": " + json_quote(*token);
    return out + "}";
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
    auto it = obj.FindMember(name);
    return it == obj.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

std::string string_of(const rapidjson::Value& v) {
    return std::string(v.GetString(), v.GetStringLength());
}

std::optional<int64_t> integer_of(const rapidjson::Value& v) {
    if (v.IsInt64()) return v.GetInt64();
    if (v.IsDouble() && std::isfinite(v.GetDouble()) && std::fabs(v.GetDouble()) < 9.2e18)
        return static_cast<int64_t>(std::trunc(v.GetDouble()));
    return std::nullopt;
}

// "A-B" of two integers (the stored and the posted form), A <= B.
std::optional<std::pair<int64_t, int64_t>> parse_int_range(const std::string& text) {
    for (size_t pos = text.find('-', 1); pos != std::string::npos; pos = text.find('-', pos + 1)) {
        auto a = parse_api_number(std::string_view(text).substr(0, pos), false);
        auto b = parse_api_number(std::string_view(text).substr(pos + 1), false);
        if (a && b && *a <= *b && *b < 9.2e18)
            return std::pair{static_cast<int64_t>(std::trunc(*a)),
                             static_cast<int64_t>(std::trunc(*b))};
    }
    return std::nullopt;
}

// A share from its stored JSON; nullopt when it is not one (a damaged item counts as gone).
std::optional<Share> share_from_json(std::string_view json) {
    rapidjson::Document doc;
    if (!parse_json(json, doc) || !doc.IsObject()) return std::nullopt;
    Share s;
    auto str = [&](const char* name, std::string& out) {
        const auto* v = member(doc, name);
        if (!v || !v->IsString()) return false;
        out = string_of(*v);
        return true;
    };
    if (!str("id", s.id) || !str("secret", s.secret) || !str("title", s.title)) return std::nullopt;
    if (const auto* tags = member(doc, "tags"); tags && tags->IsArray())
        for (const auto& t : tags->GetArray())
            if (t.IsString()) s.tags.push_back(string_of(t));
    std::string timerange;
    if (str("period", s.period)) {
        if (!find_period(s.period)) return std::nullopt;
    } else if (str("timerange", timerange)) {
        auto r = parse_int_range(timerange);
        if (!r) return std::nullopt;
        std::tie(s.t1, s.t2) = *r;
    } else {
        return std::nullopt;
    }
    if (const auto* e = member(doc, "expires")) s.expires = integer_of(*e);
    if (const auto* c = member(doc, "created"); c && c->IsNumber()) s.created = c->GetDouble();
    if (const auto* a = member(doc, "amounts"); a && a->IsBool()) s.amounts = a->GetBool();
    str("timezone", s.timezone);
    if (const auto* w = member(doc, "week_start"); w && w->IsInt()) s.week_start = w->GetInt();
    return s;
}

std::string share_token(Server& server, const std::string& username, const Share& s) {
    return jwt_sign(TokenClaims{username, s.expires.value_or(kNoExpiry), s.secret, s.id},
                    server.jwt_key());
}

// The share from a POST shares body; 400 saying what is wrong.
Share share_from_request(const rapidjson::Value& body, double now) {
    if (!body.IsObject()) bad_request("the body must be a JSON object");
    Share s;
    const auto* title = member(body, "title");
    if (!title || !title->IsString()) bad_request("title must be a string");
    s.title = string_of(*title);
    if (!valid_utf8(s.title) || utf8::length(s.title) > kMaxTitle)
        bad_request("title must be at most " + std::to_string(kMaxTitle) + " characters");
    if (const auto* tags = member(body, "tags")) {
        if (!tags->IsArray()) bad_request("tags must be a list of tags");
        for (const auto& t : tags->GetArray()) {
            if (!t.IsString()) bad_request("tags must be a list of tags");
            std::string tag = normalize_tag(string_of(t));
            if (tag.empty()) bad_request("'" + string_of(t) + "' is not a tag");
            s.tags.push_back(tag);
        }
        std::sort(s.tags.begin(), s.tags.end());
        s.tags.erase(std::unique(s.tags.begin(), s.tags.end()), s.tags.end());
        if (s.tags.size() > kMaxTags) bad_request("at most " + std::to_string(kMaxTags) + " tags");
    }
    const auto* period = member(body, "period");
    const auto* timerange = member(body, "timerange");
    if ((period != nullptr) == (timerange != nullptr))
        bad_request(
            "give either timerange (\"A-B\") or period (thisweek, lastweek, thismonth, "
            "lastmonth, thisyear, lastyear)");
    if (period) {
        if (!period->IsString() || !find_period(string_of(*period)))
            bad_request(
                "period must be thisweek, lastweek, thismonth, lastmonth, thisyear or lastyear");
        s.period = string_of(*period);
    } else {
        std::optional<std::pair<int64_t, int64_t>> r;
        if (timerange->IsString()) r = parse_int_range(string_of(*timerange));
        if (!r) bad_request("timerange must be \"A-B\": two Unix times, A at most B");
        std::tie(s.t1, s.t2) = *r;
    }
    if (const auto* e = member(body, "expires")) {
        s.expires = integer_of(*e);
        if (!s.expires) bad_request("expires must be a Unix time or null");
        if (static_cast<double>(*s.expires) <= now) bad_request("expires is in the past");
    }
    if (const auto* a = member(body, "amounts")) {
        if (!a->IsBool()) bad_request("amounts must be true or false");
        s.amounts = a->GetBool();
    }
    if (const auto* tz = member(body, "timezone")) {
        if (!tz->IsString() || !known_time_zone(string_of(*tz)))
            bad_request("timezone must name a time zone, such as Europe/Amsterdam");
        s.timezone = string_of(*tz);
    }
    if (const auto* w = member(body, "week_start")) {
        if (!w->IsInt() || w->GetInt() < 0 || w->GetInt() > 6)
            bad_request("week_start must be 0 (Sunday) to 6 (Saturday)");
        s.week_start = w->GetInt();
    }
    s.created = now;
    s.id = random_text(16);
    s.secret = random_text(32);
    return s;
}

std::vector<Share> stored_shares(UserStore& store) {
    std::vector<Share> shares;
    for (const auto& item : store.get_info_items(kSharePrefix))
        if (auto s = share_from_json(item.value_json)) shares.push_back(std::move(*s));
    std::sort(shares.begin(), shares.end(),
              [](const Share& a, const Share& b) { return a.created > b.created; });
    return shares;
}

// ---- what a share link's token reads

// The records of the share (in its range now, not hidden, with every tag), within `filter`.
Selection shared_records(const AuthInfo& auth, RecordFilter filter) {
    const Share& s = *auth.share;
    const auto [p1, p2] = s.range(static_cast<int64_t>(std::floor(now_seconds())));
    filter.t_from = std::max(filter.t_from, static_cast<double>(p1));
    filter.t_to = std::min(filter.t_to, static_cast<double>(p2));
    if (filter.t_from > filter.t_to || filter.hidden.value_or(false)) return Selection{};
    filter.hidden = false;
    return select_records(auth.store->get_records_json(filter), s.tags, true);
}

// What the page of a link shows about it (beside the records of GET records).
std::string share_description(const AuthInfo& auth) {
    const Share& s = *auth.share;
    const auto [p1, p2] = s.range(static_cast<int64_t>(std::floor(now_seconds())));
    std::string out = "{\"title\": " + json_quote(s.title) +
                      ", \"owner\": " + json_quote(auth.username) +
                      ", \"tags\": " + json_string_list(s.tags);
    out +=
        s.period.empty() ? std::string(", \"period\": null") : ", \"period\": \"" + s.period + "\"";
    out += ", \"t1\": " + int_text(p1) + ", \"t2\": " + int_text(p2);
    out += ", \"expires\": " + (s.expires ? int_text(*s.expires) : std::string("null"));
    out += std::string(", \"amounts\": ") + (s.amounts ? "true" : "false");
    out += ", \"timezone\": " + json_quote(s.timezone) +
           ", \"week_start\": " + std::to_string(s.week_start) + "}";
    return out;
}

Response get_shared_records(Request& request, const AuthInfo& auth) {
    Selection sel = shared_records(auth, records_query(request));
    return Response::json("{\"records\": " + sel.json + ", \"share\": " + share_description(auth) +
                          "}");
}

// True when every tag of `tagz` ("#a #b", a taginfo or rates key) is in `allowed`.
bool tags_within(std::string_view tagz, const std::set<std::string>& allowed) {
    bool any = false;
    size_t start = 0;
    while (start < tagz.size()) {
        size_t end = tagz.find(' ', start);
        if (end == std::string_view::npos) end = tagz.size();
        if (end > start) {
            if (!allowed.count(std::string(tagz.substr(start, end - start)))) return false;
            any = true;
        }
        start = end + 1;
    }
    return any;
}

// GET settings with a share token: the taginfo items (colours) of the share's tags, or of
// the tags of its records when it has none; with amounts, the currency and the rates that
// apply to its records (a rate whose tags some shared record all carries), nothing else.
Response get_shared_settings(const AuthInfo& auth) {
    const Share& s = *auth.share;
    std::set<std::string> taginfo_tags(s.tags.begin(), s.tags.end());
    std::set<std::vector<std::string>> tag_sets;
    if (s.tags.empty() || s.amounts) {
        RecordFilter all{};
        all.t_from = -9.2e18;
        all.t_to = 9.2e18;
        tag_sets = shared_records(auth, all).tag_sets;
        if (s.tags.empty())
            for (const auto& set : tag_sets) taginfo_tags.insert(set.begin(), set.end());
    }
    auto rate_applies = [&](std::string_view tagz) {
        for (const auto& set : tag_sets)
            if (tags_within(tagz, std::set<std::string>(set.begin(), set.end()))) return true;
        return false;
    };

    rapidjson::Document doc;
    if (!parse_json(auth.store->get_settings_json(), doc) || !doc.IsArray())
        throw std::runtime_error("shares: the stored settings are not a JSON list");
    std::string out = "{\"settings\": [";
    bool first = true;
    for (auto& item : doc.GetArray()) {
        if (!item.IsObject()) continue;
        const auto* key = member(item, "key");
        if (!key || !key->IsString()) continue;
        const std::string k = string_of(*key);
        bool keep =
            k.rfind("taginfo ", 0) == 0 && tags_within(std::string_view(k).substr(8), taginfo_tags);
        if (s.amounts && k == "tagwatch_currency") keep = true;
        if (s.amounts && k == "tagwatch_rates") {
            auto value = item.FindMember("value");
            if (value != item.MemberEnd() && value->value.IsObject()) {
                auto& rates = value->value;
                for (auto m = rates.MemberBegin(); m != rates.MemberEnd();) {
                    if (rate_applies(
                            std::string_view(m->name.GetString(), m->name.GetStringLength())))
                        ++m;
                    else
                        m = rates.EraseMember(m);
                }
                keep = true;
            }
        }
        if (!keep) continue;
        if (!first) out += ", ";
        first = false;
        py_json_dump(item, out);
    }
    return Response::json(out + "]}");
}

}  // namespace

// P + api/v2/shares, GET, webtoken: 200 {"shares": [...]}, the user's links, newest first,
// each with its token (for copying). 403 with an apitoken or a share link's token.
Response get_shares(Server& server, Request&, const AuthInfo* auth) {
    require_webtoken(auth, "/shares");
    std::string out = "{\"shares\": [";
    bool first = true;
    for (const auto& s : stored_shares(*auth->store)) {
        if (!first) out += ", ";
        first = false;
        const std::string token = share_token(server, auth->username, s);
        out += share_json(s, &token);
    }
    return Response::json(out + "]}");
}

// P + api/v2/shares, POST, webtoken; body {"title", "tags", "timerange" or "period",
// "expires", "amounts", "timezone", "week_start"}: 200 {"id", "token"} of a new link; 400
// saying what is wrong with the body; 403 with an apitoken.
Response post_shares(Server& server, Request& request, const AuthInfo* auth) {
    require_webtoken(auth, "/shares");
    const std::string& body = request.body(kMaxShareBody);
    rapidjson::Document doc;
    std::string error;
    if (!parse_json(body, doc, &error)) bad_request("the body is not valid JSON: " + error);
    Share s = share_from_request(doc, now_seconds());
    if (auth->store->get_info_items(kSharePrefix).size() >= kMaxShares)
        bad_request("at most " + std::to_string(kMaxShares) +
                    " share links per user; revoke some first");
    auth->store->put_info_item(kSharePrefix + s.id, share_json(s, nullptr));
    return Response::json("{\"id\": " + json_quote(s.id) + ", \"token\": " +
                          json_quote(share_token(server, auth->username, s)) + "}");
}

// P + api/v2/shares?id=ID, DELETE, webtoken: 200 {"status": "ok"}; the link's token is
// refused from the next request on. 404 for no such link, 400 without an id.
Response delete_shares(Server&, Request& request, const AuthInfo* auth) {
    require_webtoken(auth, "/shares");
    auto id = request.query_param("id");
    if (!id || id->empty()) bad_request("the id parameter is required");
    if (!auth->store->delete_info_item(kSharePrefix + *id))
        throw HttpError(404, "not found: no share link with id '" + *id + "'");
    return Response::json("{\"status\": \"ok\"}");
}

void require_webtoken(const AuthInfo* auth, const char* path) {
    if (auth->is_apitoken)
        throw HttpError(403,
                        std::string("forbidden: ") + path + " can only be used with a webtoken");
}

std::pair<int64_t, int64_t> Share::range(int64_t now) const {
    if (period.empty()) return {t1, t2};
    const PeriodName* p = find_period(period);
    // A rolling period covers [start, end): the last second is end - 1.
    auto [a, b] = zoned_period(p->unit, p->offset, now, timezone, week_start);
    return {a, b - 1};
}

void authenticate_share(Database& database, AuthInfo& info, double now) {
    const std::string revoked = "unauthorized: this share link was revoked by its owner";
    info.store = database.user_store(info.username, false);
    if (!info.store) throw HttpError(401, revoked);
    auto json = info.store->get_info_item(kSharePrefix + info.claims.share);
    std::optional<Share> share;
    if (json) share = share_from_json(*json);
    if (!share || !same_secret(share->secret, info.claims.seed)) throw HttpError(401, revoked);
    if (share->expires && static_cast<double>(*share->expires) <= now)
        throw HttpError(401, "unauthorized: this share link has expired");
    if (!share->period.empty() && !known_time_zone(share->timezone))
        throw HttpError(401, "unauthorized: this share link names an unknown time zone");
    info.share = std::make_shared<const Share>(std::move(*share));
}

Response answer_share(Request& request, const std::string& name, const AuthInfo& auth) {
    if (request.method == "GET" && name == "records") return get_shared_records(request, auth);
    if (request.method == "GET" && name == "settings") return get_shared_settings(auth);
    throw HttpError(403,
                    "forbidden: a share link can only read its report (GET records and GET "
                    "settings), not " +
                        request.method + " /" + name);
}

}  // namespace tagwatch
