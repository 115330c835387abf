// JSON Web Tokens as TimeTagger uses them: HS256 only, claims username / expires /
// seed. Signing reproduces PyJWT's bytes exactly (so tokens look the same as the
// ones TimeTagger issues); verifying accepts any correctly signed HS256 token.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tagwatch {

struct TokenClaims {
    std::string username;
    int64_t expires = 0;
    std::string seed;
    // Ours: the id of a share link (api/shares.hpp); empty in every other token. A share
    // token's seed is the share's own secret, so it never passes as a web- or apitoken.
    std::string share = {};
};

// Header {"alg":"HS256","typ":"JWT"}, payload {"username":..,"expires":..,"seed":..}
// (then "share":.. when set) in that order, compact separators, non-ASCII escaped as \uXXXX
// (Python's json.dumps defaults), base64url without padding, HMAC-SHA256 with `key` as given (the
// jwt.key text, trimmed; any length). Throws std::invalid_argument if username or seed is not valid
// UTF-8.
std::string jwt_sign(const TokenClaims& claims, std::string_view key);

// Checks form, algorithm (HS256 only) and signature (constant time), then the claims'
// presence and types: username string, expires integer (a float with an integral
// value is accepted), seed string; extra claims are ignored. Throws
// HttpError(401, "unauthorized: ...") on any failure. Does NOT check expiry or the
// seed: the caller does both, since a revoked token must be reported as revoked even
// when it has also expired.
TokenClaims jwt_verify(std::string_view token, std::string_view key);

}  // namespace tagwatch
