// HS256 JWT signing (byte-compatible with PyJWT) and verification on libsodium's
// streaming HMAC-SHA256 (the jwt.key text is 43 bytes; the one-shot API wants 32).
#include "auth/jwt.hpp"

#include <rapidjson/document.h>
#include <sodium.h>

#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "auth/sodium_init.hpp"
#include "model/pyjson.hpp"
#include "util/base64.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

namespace tagwatch {

namespace {

// Longer than any token we issue (a 100-byte name escaped is ~600 characters);
// keeps hostile headers from costing work.
constexpr size_t kMaxTokenLength = 8192;

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

Mac hmac_sha256(std::string_view key, std::string_view message) {
    ensure_sodium();
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    Mac mac;
    crypto_auth_hmacsha256_final(&state, mac.data());
    sodium_memzero(&state, sizeof state);
    return mac;
}

// Appends `text` as a JSON string the way Python's json.dumps writes it (PyJWT's payload),
// refusing text that is not UTF-8: a token must name its user exactly.
void append_python_json_string(std::string& out, std::string_view text) {
    if (!valid_utf8(text)) throw std::invalid_argument("token claim is not valid UTF-8");
    py_json_string(text, out);
}

[[noreturn]] void unauthorized(const std::string& why) {
    throw HttpError(401, "unauthorized: " + why);
}

// Decodes one JWT segment: URL-safe alphabet, no padding, and canonical (the
// encoding of the decoded bytes gives the segment back), so one token has one form.
std::string decode_segment(std::string_view segment, const char* what) {
    bool ok = !segment.empty();
    for (const char c : segment)
        if (c == '+' || c == '/' || c == '=') ok = false;
    std::optional<std::string> bytes;
    if (ok) bytes = base64_decode(segment);
    if (!bytes || base64url_encode(*bytes, false) != segment)
        unauthorized(std::string("malformed token (") + what + " is not base64url)");
    return std::move(*bytes);
}

rapidjson::Document parse_object(const std::string& json, const char* what) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(json.data(),
                                                                                      json.size());
    if (doc.HasParseError() || !doc.IsObject())
        unauthorized(std::string("malformed token (") + what + " is not a JSON object)");
    return doc;
}

// The member named `name`; a missing or repeated one is refused, since parsers
// disagree on which of two equal keys counts.
const rapidjson::Value& claim(const rapidjson::Document& doc, std::string_view name) {
    const rapidjson::Value* found = nullptr;
    for (const auto& m : doc.GetObject()) {
        if (std::string_view(m.name.GetString(), m.name.GetStringLength()) != name) continue;
        if (found) unauthorized("token has the claim '" + std::string(name) + "' twice");
        found = &m.value;
    }
    if (!found) unauthorized("token lacks the claim '" + std::string(name) + "'");
    return *found;
}

std::string string_claim(const rapidjson::Document& doc, std::string_view name) {
    const auto& v = claim(doc, name);
    if (!v.IsString()) unauthorized("token claim '" + std::string(name) + "' is not a string");
    std::string s(v.GetString(), v.GetStringLength());
    // RapidJSON lets an unpaired \udc00 escape through as bytes that are not UTF-8.
    if (!valid_utf8(s)) unauthorized("token claim '" + std::string(name) + "' is not valid UTF-8");
    return s;
}

int64_t integer_claim(const rapidjson::Document& doc, std::string_view name) {
    const auto& v = claim(doc, name);
    if (v.IsInt64()) return v.GetInt64();
    if (v.IsDouble()) {
        const double d = v.GetDouble();
        // 2^63 is exactly representable; anything at or above it does not fit.
        if (std::isfinite(d) && std::trunc(d) == d && d >= -9223372036854775808.0 &&
            d < 9223372036854775808.0)
            return static_cast<int64_t>(d);
    }
    unauthorized("token claim '" + std::string(name) + "' is not an integer");
}

}  // namespace

std::string jwt_sign(const TokenClaims& claims, std::string_view key) {
    std::string payload = "{\"username\":";
    append_python_json_string(payload, claims.username);
    payload += ",\"expires\":";
    payload += std::to_string(claims.expires);
    payload += ",\"seed\":";
    append_python_json_string(payload, claims.seed);
    if (!claims.share.empty()) {
        payload += ",\"share\":";
        append_python_json_string(payload, claims.share);
    }
    payload += '}';

    std::string token = base64url_encode(R"({"alg":"HS256","typ":"JWT"})", false);
    token += '.';
    token += base64url_encode(payload, false);
    const Mac mac = hmac_sha256(key, token);
    token += '.';
    token += base64url_encode(
        std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()), false);
    return token;
}

TokenClaims jwt_verify(std::string_view token, std::string_view key) {
    if (token.empty()) unauthorized("empty token");
    if (token.size() > kMaxTokenLength) unauthorized("malformed token (too long)");
    const size_t dot1 = token.find('.');
    const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
        unauthorized("malformed token (a JWT has three dot-separated parts)");
    const std::string_view header_b64 = token.substr(0, dot1);
    const std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string_view signature_b64 = token.substr(dot2 + 1);

    const auto header = parse_object(decode_segment(header_b64, "header"), "header");
    const auto alg = header.FindMember("alg");
    if (alg == header.MemberEnd() || !alg->value.IsString() ||
        std::string_view(alg->value.GetString(), alg->value.GetStringLength()) != "HS256")
        unauthorized("token algorithm is not HS256");

    if (signature_b64.empty()) unauthorized("token is not signed");
    const std::string signature = decode_segment(signature_b64, "signature");
    const Mac expected = hmac_sha256(key, token.substr(0, dot2));
    if (signature.size() != expected.size() ||
        sodium_memcmp(signature.data(), expected.data(), expected.size()) != 0)
        unauthorized("bad token signature (not issued by this server, or its key has changed)");

    const auto payload = parse_object(decode_segment(payload_b64, "payload"), "payload");
    TokenClaims claims;
    claims.username = string_claim(payload, "username");
    claims.expires = integer_claim(payload, "expires");
    claims.seed = string_claim(payload, "seed");
    if (payload.HasMember("share")) claims.share = string_claim(payload, "share");
    return claims;
}

}  // namespace tagwatch
