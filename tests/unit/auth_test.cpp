// Unit tests for src/auth: JWT (against tokens TimeTagger issued), the key
// file, passwords (Argon2id and TimeTagger's bcrypt), credentials, address lists,
// seeds and the query truth rule.
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "auth/credentials.hpp"
#include "auth/jwt.hpp"
#include "auth/keyfile.hpp"
#include "auth/net.hpp"
#include "auth/password.hpp"
#include "auth/seed.hpp"
#include "temp_dir.hpp"
#include "util/base64.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

using namespace tagwatch;

using tagwatch_test::temp_dir;

namespace {

// From tests' fixture folder timetagger-datadir (written by TimeTagger 26.1.3):
// data/jwt.key, and the apitokens and passwords of tokens.json, the bcrypt hashes of
// credentials.txt. Copied here so the unit tests need no path to the fixture.
const std::string kFixtureKey = "JC4UmTarKIAEnapL1kT9QbDPFF9gpUi0cfpC07O3YqQ";
const int64_t kApitokenExpires = 32503748400;
struct FixtureUser {
    std::string name, password, seed, token, bcrypt;
};
const std::vector<FixtureUser> kFixtureUsers = {
    {"alice", "correct horse battery staple", "9BpKjqFr-eE",
     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
     "eyJ1c2VybmFtZSI6ImFsaWNlIiwiZXhwaXJlcyI6MzI1MDM3NDg0MDAsInNlZWQiOiI5QnBLanFG"
     "ci1lRSJ9.KWtSC_alkCGwS8zDX6CJIUlgRZFVZgL2EdfJuhv3Fwo",
     "$2b$10$x3UnGm.j4aZCJPlgQRAQQeZ5QglLeMjmDCm.N2u0CTfr3to53AVl2"},
    {"bob@example.com", "b0b-secret!", "tYFfRQ6Y0Vg",
     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
     "eyJ1c2VybmFtZSI6ImJvYkBleGFtcGxlLmNvbSIsImV4cGlyZXMiOjMyNTAzNzQ4NDAwLCJzZWVk"
     "IjoidFlGZlJRNlkwVmcifQ.FCxUXin-fhim26-TB9w0q_Xo9wPttSFQPVRkkHlO1Hs",
     "$2b$10$B0RzRDSsgyhIxvLEB1.j/OMICKBtAJWo1pKETW5iHLCdHo4ZUz942"},
    {"zo\xc3\xab", "p\xc3\xa4ssw\xc3\xb6rd", "kJi7_RF81Y4",  // pässwörd, precomposed ä and ö
     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
     "eyJ1c2VybmFtZSI6InpvXHUwMGViIiwiZXhwaXJlcyI6MzI1MDM3NDg0MDAsInNlZWQiOiJrSmk3"
     "X1JGODFZNCJ9.lyaOGD3a8v6ee9Ir1svGA5Uc2hCoC_mmLl6WXgLWGPA",
     "$2b$10$.tmfDt.ZkA66A4qthfpfGu8PukeTxY.enfXLx3C0AjGPKNCh6d5T2"},
};

// Signs arbitrary header and payload JSON with libsodium's HMAC directly: a token as
// another JWT library might make it.
std::string sign_raw(const std::string& header, const std::string& payload,
                     const std::string& key) {
    std::string input = base64url_encode(header, false) + "." + base64url_encode(payload, false);
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(input.data()),
                                  input.size());
    crypto_auth_hmacsha256_final(&st, mac);
    return input + "." +
           base64url_encode(std::string(reinterpret_cast<char*>(mac), sizeof mac), false);
}

const std::string kHs256 = R"({"alg":"HS256","typ":"JWT"})";

// The status and message of the HttpError `f` throws; fails the test if none.
template <typename F>
std::pair<int, std::string> auth_error_of(F f) {
    try {
        f();
    } catch (const HttpError& e) {
        return {e.status, e.what()};
    }
    BOOST_ERROR("expected an HttpError");
    return {0, ""};
}

void expect_unauthorized(const std::string& token, const std::string& key = kFixtureKey) {
    const auto [status, message] = auth_error_of([&] { jwt_verify(token, key); });
    BOOST_TEST(status == 401);
    BOOST_TEST(message.rfind("unauthorized: ", 0) == 0, "message: " << message);
}

template <typename F>
std::string config_error_of(F f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    BOOST_ERROR("expected a std::invalid_argument");
    return "";
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(auth_jwt)

BOOST_AUTO_TEST_CASE(reproduces_timetagger_tokens_byte_for_byte) {
    for (const auto& u : kFixtureUsers) {
        const std::string token = jwt_sign({u.name, kApitokenExpires, u.seed}, kFixtureKey);
        BOOST_TEST(token == u.token, "user " << u.name);
    }
}

BOOST_AUTO_TEST_CASE(verifies_timetagger_tokens) {
    for (const auto& u : kFixtureUsers) {
        const TokenClaims c = jwt_verify(u.token, kFixtureKey);
        BOOST_TEST(c.username == u.name);
        BOOST_TEST(c.expires == kApitokenExpires);
        BOOST_TEST(c.seed == u.seed);
    }
}

BOOST_AUTO_TEST_CASE(sign_escapes_like_python_json) {
    // Python: json.dumps(..., separators=(",", ":")) with ensure_ascii: lower-case hex,
    // surrogate pairs beyond the BMP, short escapes for the usual controls.
    const std::string name = "a\"b\\c\n\t\x01\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    const std::string token = jwt_sign({name, -5, "s"}, "k");
    const std::string payload_b64 =
        token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
    BOOST_TEST(
        base64_decode(payload_b64).value() ==
        R"({"username":"a\"b\\c\n\t\u0001\u007f\u00e9\u20ac\ud83d\ude00","expires":-5,"seed":"s"})");
    const TokenClaims back = jwt_verify(token, "k");
    BOOST_TEST(back.username == name);
    BOOST_TEST(back.expires == -5);
    BOOST_CHECK_THROW(jwt_sign({"\xff", 1, "s"}, "k"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(accepts_other_implementations_json_layout) {
    const std::string token =
        sign_raw(R"({ "typ" : "JWT", "alg" : "HS256" })",
                 "{\n  \"seed\": \"xyz\",\n  \"extra\": [1, {\"a\": null}],\n  \"expires\": "
                 "1700000000.0,\n  \"username\": \"zo\\u00EB\"\n}",
                 kFixtureKey);
    const TokenClaims c = jwt_verify(token, kFixtureKey);
    BOOST_TEST(c.username == "zo\xc3\xab");
    BOOST_TEST(c.expires == 1700000000);
    BOOST_TEST(c.seed == "xyz");
    // A header without typ is still HS256.
    BOOST_TEST(
        jwt_verify(
            sign_raw(R"({"alg":"HS256"})", R"({"username":"u","expires":1,"seed":"s"})", "k"), "k")
            .username == "u");
}

BOOST_AUTO_TEST_CASE(wrong_key_and_tampering_are_refused) {
    const auto& alice = kFixtureUsers[0];
    expect_unauthorized(alice.token, "another key");
    expect_unauthorized(alice.token, kFixtureKey.substr(0, 42));
    // Bob's payload with Alice's signature.
    const auto& bob = kFixtureUsers[1];
    const auto parts = [](const std::string& t) {
        const size_t a = t.find('.'), b = t.rfind('.');
        return std::vector<std::string>{t.substr(0, a), t.substr(a + 1, b - a - 1),
                                        t.substr(b + 1)};
    };
    const auto pa = parts(alice.token), pb = parts(bob.token);
    expect_unauthorized(pa[0] + "." + pb[1] + "." + pa[2]);
    // One changed signature character; the last character re-encoded with other unused bits.
    std::string flipped = alice.token;
    flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
    expect_unauthorized(flipped);
    std::string noncanonical = alice.token;
    BOOST_REQUIRE(noncanonical.back() == 'o');  // 'o' = 40; 'p' = 41 differs only in unused bits
    noncanonical.back() = 'p';
    expect_unauthorized(noncanonical);
    // Padding and the standard alphabet are not JWT.
    expect_unauthorized(alice.token + "=");
    const auto [status, message] =
        auth_error_of([&] { jwt_verify(pa[0] + "." + pb[1] + "." + pa[2], kFixtureKey); });
    BOOST_TEST(contains(message, "signature"));
}

BOOST_AUTO_TEST_CASE(other_algorithms_are_refused) {
    const std::string payload =
        R"({"username":"alice","expires":32503748400,"seed":"9BpKjqFr-eE"})";
    const std::string none_token = base64url_encode(R"({"alg":"none","typ":"JWT"})", false) + "." +
                                   base64url_encode(payload, false) + ".";
    expect_unauthorized(none_token);
    // Correct HMAC-SHA256 bytes, but the header claims something else.
    expect_unauthorized(sign_raw(R"({"alg":"HS512","typ":"JWT"})", payload, kFixtureKey));
    expect_unauthorized(sign_raw(R"({"alg":"hs256"})", payload, kFixtureKey));
    expect_unauthorized(sign_raw(R"({"typ":"JWT"})", payload, kFixtureKey));
    expect_unauthorized(sign_raw(std::string(R"({"alg":"HS256\u0000x"})"), payload, kFixtureKey));
    // Our own header with an empty signature.
    expect_unauthorized(base64url_encode(kHs256, false) + "." + base64url_encode(payload, false) +
                        ".");
    const auto [status, message] = auth_error_of([&] { jwt_verify(none_token, kFixtureKey); });
    BOOST_TEST(contains(message, "HS256"));
}

BOOST_AUTO_TEST_CASE(missing_and_wrong_typed_claims_are_401) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"expires":1,"seed":"s"})", "username"},
        {R"({"username":"u","seed":"s"})", "expires"},
        {R"({"username":"u","expires":1})", "seed"},
        {R"({"username":1,"expires":1,"seed":"s"})", "username"},
        {R"({"username":null,"expires":1,"seed":"s"})", "username"},
        {R"({"username":"u","expires":"1","seed":"s"})", "expires"},
        {R"({"username":"u","expires":1.5,"seed":"s"})", "expires"},
        {R"({"username":"u","expires":true,"seed":"s"})", "expires"},
        {R"({"username":"u","expires":1e30,"seed":"s"})", "expires"},
        {R"({"username":"u","expires":9223372036854775808,"seed":"s"})", "expires"},
        {R"({"username":"u","expires":1,"seed":["s"]})", "seed"},
        {R"({"username":"u","expires":1,"seed":"s","seed":"t"})", "seed"},
        {R"({"username":"\udc00","expires":1,"seed":"s"})", "username"},
    };
    for (const auto& [payload, claim_name] : cases) {
        const auto [status, message] =
            auth_error_of([&] { jwt_verify(sign_raw(kHs256, payload, "k"), "k"); });
        BOOST_TEST(status == 401, payload);
        BOOST_TEST(contains(message, "unauthorized: "), payload);
        BOOST_TEST(contains(message, claim_name), payload << " -> " << message);
    }
    // Not objects at all.
    for (const char* payload : {"[]", "\"x\"", "{", "", "{\"username\":\"u\"}x", "null"})
        expect_unauthorized(sign_raw(kHs256, payload, "k"), "k");
    expect_unauthorized(sign_raw("[]", R"({"username":"u","expires":1,"seed":"s"})", "k"), "k");
    // Large integral floats and negative numbers that fit are fine.
    BOOST_TEST(
        jwt_verify(sign_raw(kHs256, R"({"username":"u","expires":-3.0,"seed":""})", "k"), "k")
            .expires == -3);
    BOOST_TEST(
        jwt_verify(
            sign_raw(kHs256, R"({"username":"u","expires":9007199254740992.0,"seed":"s"})", "k"),
            "k")
            .expires == 9007199254740992);
}

BOOST_AUTO_TEST_CASE(garbage_strings_are_401) {
    const std::string t = kFixtureUsers[0].token;
    for (const std::string& g :
         {std::string(""), std::string("."), std::string(".."), std::string("abc"),
          std::string("a.b"), std::string("a.b.c"), std::string("a.b.c.d"), t + ".x",
          std::string("Bearer ") + t, std::string("!!!.###.$$$"), t.substr(1),
          std::string(10000, 'a'), std::string("\0.\0.\0", 5)})
        expect_unauthorized(g);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(auth_keyfile)

BOOST_AUTO_TEST_CASE(creates_a_private_43_character_key_once) {
    const std::string dir = temp_dir("keyfile") + "/nested/data";  // parents are made too
    const std::string key = load_or_create_jwt_key(dir);
    BOOST_TEST(key.size() == 43u);
    BOOST_TEST(base64_decode(key).value().size() == 32u);
    for (const char c : key)
        BOOST_TEST((std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'));
    struct stat st;
    BOOST_REQUIRE(::stat((dir + "/jwt.key").c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    BOOST_REQUIRE(::stat(dir.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0700u);
    BOOST_TEST(read_file(dir + "/jwt.key") == key);
    BOOST_TEST(load_or_create_jwt_key(dir) == key);  // read again, not remade
    BOOST_TEST(load_or_create_jwt_key(dir + "/") == key);
    // No temporary files are left behind.
    BOOST_TEST(std::system(("test \"$(ls -A " + dir + ")\" = jwt.key").c_str()) == 0);
}

BOOST_AUTO_TEST_CASE(reads_an_existing_key_trimmed) {
    const std::string dir = temp_dir("keyfile");
    std::ofstream(dir + "/jwt.key") << "  " << kFixtureKey << "\n";
    BOOST_TEST(load_or_create_jwt_key(dir) == kFixtureKey);
}

BOOST_AUTO_TEST_CASE(empty_or_unreadable_key_is_an_error) {
    const std::string dir = temp_dir("keyfile");
    std::ofstream(dir + "/jwt.key") << " \n";
    try {
        load_or_create_jwt_key(dir);
        BOOST_ERROR("no error for an empty key");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(contains(e.what(), "jwt.key"));
        BOOST_TEST(contains(e.what(), "empty"));
    }
    const std::string dir2 = temp_dir("keyfile");
    BOOST_REQUIRE(::mkdir((dir2 + "/jwt.key").c_str(), 0700) ==
                  0);  // a directory cannot be read as a key
    BOOST_CHECK_THROW(load_or_create_jwt_key(dir2), std::runtime_error);
    std::ofstream(dir2 + "/file") << "x";
    BOOST_CHECK_THROW(load_or_create_jwt_key(dir2 + "/file"),
                      std::runtime_error);  // data folder is a file
}

BOOST_AUTO_TEST_CASE(concurrent_creators_agree_on_one_key) {
    for (int round = 0; round < 5; ++round) {
        const std::string dir = temp_dir("keyrace") + "/data";
        int go[2];
        BOOST_REQUIRE(::pipe(go) == 0);
        std::vector<std::pair<pid_t, int>> children;
        for (int i = 0; i < 6; ++i) {
            int out[2];
            BOOST_REQUIRE(::pipe(out) == 0);
            const pid_t pid = ::fork();
            BOOST_REQUIRE(pid >= 0);
            if (pid == 0) {
                ::close(go[1]);
                ::close(out[0]);
                char c;
                while (::read(go[0], &c, 1) > 0) {
                }  // start together when the parent closes the pipe
                std::string result;
                try {
                    result = load_or_create_jwt_key(dir);
                } catch (const std::exception& e) {
                    result = std::string("ERROR ") + e.what();
                }
                const ssize_t w = ::write(out[1], result.data(), result.size());
                ::_exit(w == static_cast<ssize_t>(result.size()) ? 0 : 1);
            }
            ::close(out[1]);
            children.emplace_back(pid, out[0]);
        }
        ::close(go[0]);
        ::close(go[1]);
        std::set<std::string> keys;
        for (const auto& [pid, fd] : children) {
            std::string got;
            char buf[256];
            ssize_t n;
            while ((n = ::read(fd, buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
            ::close(fd);
            int status = 0;
            ::waitpid(pid, &status, 0);
            BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
            BOOST_TEST(got.size() == 43u, got);
            keys.insert(got);
        }
        BOOST_TEST(keys.size() == 1u);
        BOOST_TEST(*keys.begin() == read_file(dir + "/jwt.key"));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(auth_password)

BOOST_AUTO_TEST_CASE(argon2id_hash_then_verify) {
    const std::string hash = hash_password("s3cret p\xc3\xa4ss");
    BOOST_TEST(hash.rfind("$argon2id$", 0) == 0);
    BOOST_TEST(contains(hash, "m=19456,t=2,p=1"));
    BOOST_TEST(verify_password("s3cret p\xc3\xa4ss", hash));
    BOOST_TEST(!verify_password("s3cret pass", hash));
    BOOST_TEST(!verify_password("", hash));
    BOOST_TEST(hash_password("s3cret p\xc3\xa4ss") != hash);  // salted
    BOOST_TEST(valid_password_hash(hash));
    const std::string empty_hash = hash_password("");
    BOOST_TEST(verify_password("", empty_hash));
    BOOST_TEST(!verify_password(" ", empty_hash));
}

BOOST_AUTO_TEST_CASE(timetagger_bcrypt_hashes_verify) {
    for (const auto& u : kFixtureUsers) {
        const std::string& password = u.password;
        BOOST_TEST(verify_password(password, u.bcrypt), u.name);
        BOOST_TEST(!verify_password(password + "x", u.bcrypt), u.name);
        BOOST_TEST(!verify_password(password.substr(0, password.size() - 1), u.bcrypt), u.name);
        BOOST_TEST(valid_password_hash(u.bcrypt));
    }
    // The decomposed spelling of pässwörd is other bytes, so not the password.
    BOOST_TEST(!verify_password("pa\xcc\x88sswo\xcc\x88rd", kFixtureUsers[2].bcrypt));
    // The Latin-1 bytes btoa would send are not it either (the caller converts them).
    BOOST_TEST(!verify_password("p\xe4ssw\xf6rd", kFixtureUsers[2].bcrypt));
    BOOST_TEST(verify_password(latin1_to_utf8("p\xe4ssw\xf6rd"), kFixtureUsers[2].bcrypt));
    // $2a$ and $2y$ spell the same algorithm.
    std::string h = kFixtureUsers[0].bcrypt;
    h[2] = 'y';
    BOOST_TEST(verify_password(kFixtureUsers[0].password, h));
    // A NUL cannot cut the password short.
    BOOST_TEST(!verify_password(kFixtureUsers[0].password + std::string("\0x", 2),
                                kFixtureUsers[0].bcrypt));
}

BOOST_AUTO_TEST_CASE(other_hashes_never_verify) {
    for (const std::string& h :
         {std::string(""), std::string("plain"), std::string("correct horse battery staple"),
          std::string("$1$abc$def"), std::string("$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA"),
          std::string("$argon2id$garbage"), std::string("$2b$10$short"),
          std::string("$6$salt$hash"), std::string("*0")})
        BOOST_TEST(!verify_password("correct horse battery staple", h), h);
    BOOST_TEST(!verify_password("", ""));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(auth_credentials)

BOOST_AUTO_TEST_CASE(usernames) {
    BOOST_TEST(valid_username("alice"));
    BOOST_TEST(valid_username("zo\xc3\xab"));
    BOOST_TEST(valid_username("bob@example.com"));
    BOOST_TEST(valid_username("with space"));
    BOOST_TEST(valid_username("\xf0\x9f\x98\x80"));
    BOOST_TEST(valid_username(std::string(100, 'a')));
    BOOST_TEST(!valid_username(std::string(101, 'a')));
    BOOST_TEST(!valid_username(std::string(50, '\xc3')));  // lone lead bytes
    std::string hundred_bytes;
    for (int i = 0; i < 50; ++i) hundred_bytes += "\xc3\xab";
    BOOST_TEST(valid_username(hundred_bytes));
    BOOST_TEST(!valid_username(hundred_bytes + "a"));
    BOOST_TEST(!valid_username(""));
    for (const char* bad : {"a:b", "a,b", "a;b", "a\nb", "a\tb", "a\x7f", "\xc2\x85x", "\xff",
                            "\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"})
        BOOST_TEST(!valid_username(bad), bad);
    BOOST_TEST(!valid_username(std::string("a\0b", 3)));
}

BOOST_AUTO_TEST_CASE(setting_with_bcrypt_and_argon2_hashes) {
    const std::string argon = hash_password("pw");
    BOOST_REQUIRE(contains(argon, ","));  // the point of the separator rule
    const auto& [a, b, z] = std::tie(kFixtureUsers[0], kFixtureUsers[1], kFixtureUsers[2]);
    const std::string text = a.name + ":" + a.bcrypt + "," + b.name + ":" + argon + " ; " + z.name +
                             ":" + z.bcrypt + ",\n carol:" + argon + ",";
    const Credentials c = parse_credentials_setting(text);
    BOOST_TEST(c.size() == 4u);
    BOOST_TEST(c.at("alice") == a.bcrypt);
    BOOST_TEST(c.at("bob@example.com") == argon);
    BOOST_TEST(c.at("zo\xc3\xab") == z.bcrypt);
    BOOST_TEST(c.at("carol") == argon);
    BOOST_TEST(verify_password("pw", c.at("carol")));
    // The fixture's TIMETAGGER_CREDENTIALS value as it is.
    const Credentials f = parse_credentials_setting(a.name + ":" + a.bcrypt + "," + b.name + ":" +
                                                    b.bcrypt + "," + z.name + ":" + z.bcrypt);
    BOOST_TEST(f.size() == 3u);
    BOOST_TEST(parse_credentials_setting("").empty());
    BOOST_TEST(parse_credentials_setting("  \n ").empty());
}

BOOST_AUTO_TEST_CASE(bad_setting_entries_are_named) {
    const std::string bc = kFixtureUsers[0].bcrypt;
    std::string m = config_error_of([&] { parse_credentials_setting("alice:" + bc + ",bob"); });
    BOOST_TEST(contains(m, "entry 1"),
               m);  // "bob" without ':$' is not a new entry: alice's hash is bad
    BOOST_TEST(contains(m, "'alice'"), m);
    m = config_error_of([&] { parse_credentials_setting("alice:" + bc + ",bob:plaintext"); });
    BOOST_TEST(contains(m, "'alice'"), m);
    m = config_error_of([&] { parse_credentials_setting("alice:" + bc + ", bob:$1$x$y"); });
    BOOST_TEST(contains(m, "entry 2"), m);
    BOOST_TEST(contains(m, "'bob'"), m);
    BOOST_TEST(contains(m, "$argon2id$"), m);
    m = config_error_of([&] { parse_credentials_setting("justtext"); });
    BOOST_TEST(contains(m, "entry 1"), m);
    BOOST_TEST(contains(m, "user:hash"), m);
    m = config_error_of([&] { parse_credentials_setting(":" + bc); });
    BOOST_TEST(contains(m, "bad user name"), m);
    m = config_error_of([&] {
        parse_credentials_setting(
            "a\x01"
            ":" +
            bc);
    });
    BOOST_TEST(contains(m, "bad user name"), m);
    m = config_error_of([&] { parse_credentials_setting("alice:" + bc + ",alice:" + bc); });
    BOOST_TEST(contains(m, "twice"), m);
    m = config_error_of(
        [&] { parse_credentials_setting("carol:$argon2id$v=19$m=19456,t=2,p=1$bad"); });
    BOOST_TEST(contains(m, "'carol'"), m);
    BOOST_TEST(contains(m, "malformed"), m);
    m = config_error_of([&] { parse_credentials_setting("dave:" + bc.substr(0, 59)); });
    BOOST_TEST(contains(m, "'dave'"), m);
}

BOOST_AUTO_TEST_CASE(file_round_trip_and_errors) {
    const std::string dir = temp_dir("cred");
    const std::string path = dir + "/credentials";
    BOOST_TEST(parse_credentials_file(path).empty());  // missing: no users
    Credentials c = {{"alice", kFixtureUsers[0].bcrypt}, {"zo\xc3\xab", hash_password("x")}};
    write_credentials_file(path, c);
    struct stat st;
    BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    BOOST_TEST(read_file(path).rfind("# ", 0) == 0);
    BOOST_TEST((parse_credentials_file(path) == c));
    BOOST_TEST(std::system(("test \"$(ls -A " + dir + ")\" = credentials").c_str()) == 0);

    std::ofstream(path) << "# comment\n\n  alice:" << kFixtureUsers[0].bcrypt
                        << "  \n\t# indented comment\nbroken\n";
    const std::string m = config_error_of([&] { parse_credentials_file(path); });
    BOOST_TEST(contains(m, path + ":5:"), m);

    BOOST_CHECK_THROW(write_credentials_file(path, {{"a:b", kFixtureUsers[0].bcrypt}}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(write_credentials_file(path, {{"a", "plain"}}), std::invalid_argument);
    BOOST_CHECK_THROW(parse_credentials_file(dir), std::invalid_argument);  // a directory
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(auth_net)

BOOST_AUTO_TEST_CASE(ipv4_and_cidr) {
    const std::string list = "127.0.0.1, 10.0.0.0/8 192.168.1.0/24,,203.0.113.7/32";
    BOOST_TEST(address_in_list("127.0.0.1", list));
    BOOST_TEST(!address_in_list("127.0.0.2", list));
    BOOST_TEST(address_in_list("10.255.1.2", list));
    BOOST_TEST(!address_in_list("11.0.0.1", list));
    BOOST_TEST(address_in_list("192.168.1.255", list));
    BOOST_TEST(!address_in_list("192.168.2.1", list));
    BOOST_TEST(address_in_list("203.0.113.7", list));
    BOOST_TEST(!address_in_list("203.0.113.8", list));
    BOOST_TEST(address_in_list("1.2.3.4", "0.0.0.0/0"));
    BOOST_TEST(address_in_list("10.1.2.3", "10.1.2.0/23"));  // prefix not on a byte boundary
    BOOST_TEST(!address_in_list("10.1.4.3", "10.1.2.0/23"));
    BOOST_TEST(!address_in_list("1.2.3.4", ""));
}

BOOST_AUTO_TEST_CASE(ipv6_and_mapped) {
    const std::string list = "::1 fd00::/8, 2001:db8::1/128";
    BOOST_TEST(address_in_list("::1", list));
    BOOST_TEST(!address_in_list("::2", list));
    BOOST_TEST(address_in_list("fdab::1234", list));
    BOOST_TEST(!address_in_list("fe80::1", list));
    BOOST_TEST(address_in_list("2001:db8::1", list));
    BOOST_TEST(address_in_list("2001:0db8:0000::0001", list));
    BOOST_TEST(!address_in_list("2001:db8::2", list));
    BOOST_TEST(address_in_list("2001:db8::2", "::/0"));
    BOOST_TEST(address_in_list("::ffff:10.1.2.3", "10.0.0.0/8"));
    BOOST_TEST(address_in_list("::ffff:127.0.0.1", "127.0.0.1"));
    BOOST_TEST(!address_in_list("::ffff:11.1.2.3", "10.0.0.0/8"));
    BOOST_TEST(address_in_list("10.1.2.3", "::ffff:10.0.0.0/104"));
    BOOST_TEST(!address_in_list("::a01:203", "10.0.0.0/8"));  // IPv4-compatible form is not IPv4
}

BOOST_AUTO_TEST_CASE(garbage_matches_nothing_and_is_refused_by_validation) {
    const std::string list =
        "localhost, 10.0.0.0/33, 300.1.1.1, ::1/129, 1.2.3.4/, 1.2.3.4/x, 5.6.7.8";
    BOOST_TEST(!address_in_list("127.0.0.1", list));
    BOOST_TEST(address_in_list("5.6.7.8", list));  // good entries still count
    BOOST_TEST(!address_in_list("", "0.0.0.0/0 ::/0"));
    BOOST_TEST(!address_in_list("localhost", "0.0.0.0/0 ::/0"));
    BOOST_TEST(!address_in_list("1.2.3.4 ", "0.0.0.0/0"));
    BOOST_TEST(!address_in_list("fe80::1%eth0", "::/0"));
    for (const char* bad :
         {"localhost", "10.0.0.0/33", "300.1.1.1", "::1/129", "1.2.3.4/", "1.2.3.4/x", "1.2.3"}) {
        const std::string m =
            config_error_of([&] { validate_address_list(std::string("127.0.0.1, ") + bad); });
        BOOST_TEST(contains(m, std::string("'") + bad + "'"), m);
    }
    BOOST_CHECK_NO_THROW(
        validate_address_list("127.0.0.1, 10.0.0.0/8 ::1 fd00::/8 ::/0 0.0.0.0/0"));
    BOOST_CHECK_NO_THROW(validate_address_list(""));
}

BOOST_AUTO_TEST_CASE(loopback) {
    BOOST_TEST(is_loopback("127.0.0.1"));
    BOOST_TEST(is_loopback("127.255.0.9"));
    BOOST_TEST(is_loopback("::1"));
    BOOST_TEST(is_loopback("::ffff:127.0.0.1"));
    BOOST_TEST(!is_loopback("128.0.0.1"));
    BOOST_TEST(!is_loopback("::2"));
    BOOST_TEST(!is_loopback("::"));
    BOOST_TEST(!is_loopback("::ffff:10.0.0.1"));
    BOOST_TEST(!is_loopback(""));
    BOOST_TEST(!is_loopback("localhost"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(auth_seed)

BOOST_AUTO_TEST_CASE(seeds_are_11_url_safe_random_characters) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string s = random_seed();
        BOOST_TEST(s.size() == 11u);
        BOOST_TEST(base64_decode(s).value().size() == 8u);
        for (const char c : s)
            BOOST_TEST((std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'));
        seen.insert(s);
    }
    BOOST_TEST(seen.size() == 200u);
}

BOOST_AUTO_TEST_CASE(query_truth_rule) {
    for (const char* f : {"", "false", "FALSE", "False", "off", "OFF", "no", "No", "n", "N", "0"})
        BOOST_TEST(!truthy_query_value(f), f);
    for (const char* t : {"1", "true", "yes", "y", "on", "x", "00", " 0", "0 ", "nope", "-1"})
        BOOST_TEST(truthy_query_value(t), t);
}

BOOST_AUTO_TEST_SUITE_END()
