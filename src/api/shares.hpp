// Share links and teams (docs/api.md, "Extensions of ours: shares and teams"): paths that
// TimeTagger does not have and its clients never call. A share link is a read-only report
// of one user's records (tags and a fixed or rolling period); its token reads only that. A
// team lets its managers read the members' records. Shares live in the user's userinfo
// table (UserStore::get_info_items), teams in the shared state (TeamStore).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/server.hpp"

namespace tagwatch {

// A share link as stored (the value of the userinfo item "tagwatch_share_<id>").
struct Share {
    std::string id;      // 16 random bytes, base64url: names the link in the API
    std::string secret;  // 32 random bytes, base64url: the seed of the link's token
    std::string title;
    std::vector<std::string> tags;   // "#tag" in lower case: records carrying every one
    std::string period;              // thisweek, lastweek, thismonth, ... or "" for t1-t2
    int64_t t1 = 0, t2 = 0;          // the fixed timerange when period is ""
    std::optional<int64_t> expires;  // Unix seconds; none: until revoked
    double created = 0;
    bool amounts = false;          // the report shows amounts (the rates of its tags)
    std::string timezone = "UTC";  // where a rolling period is counted (IANA name)
    int week_start = 1;            // 0 Sunday ... 6 Saturday

    // [t1, t2] now: the fixed range, or the rolling period resolved at `now`.
    std::pair<int64_t, int64_t> range(int64_t now) const;
};

// Checks a share link's token (claims with a "share" id) for authenticate(): the share
// must exist with the token's secret (401 "revoked" otherwise) and not be past its expiry
// (401 "expired"). Fills info.share.
void authenticate_share(Database& database, AuthInfo& info, double now);

// The answer to a share link's token: GET records and GET settings, restricted to what it
// shares; 403 for every other path and method.
Response answer_share(Request& request, const std::string& name, const AuthInfo& auth);

// 403 unless `auth` holds a webtoken (an apitoken may not make, list or revoke links, nor
// read teams; docs/webapi.md). `path` names the path in the message ("/shares").
void require_webtoken(const AuthInfo* auth, const char* path);

}  // namespace tagwatch
