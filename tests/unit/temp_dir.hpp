// Where the unit tests find the repository: its fixtures (tests/fixtures/) and fresh
// temporary folders under build/tmp, removed when the test binary exits. Both are found
// from the test binary's own place (build/unit-tests), so it runs from any directory.
#pragma once

#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tagwatch_test {

// The repository the running test binary was built in (the folder above build/).
inline std::filesystem::path repo_root() {
    static const std::filesystem::path root = [] {
        std::error_code ec;
        const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
        BOOST_REQUIRE_MESSAGE(!ec, "cannot find the test binary: " << ec.message());
        return exe.parent_path().parent_path();
    }();
    return root;
}

// A file or folder of tests/fixtures/.
inline std::string fixture_path(const std::string& name) {
    const auto path = repo_root() / "tests" / "fixtures" / name;
    BOOST_REQUIRE_MESSAGE(std::filesystem::exists(path), "fixture not found: " << path.string());
    return path.string();
}

// The whole text of a fixture file.
inline std::string fixture_text(const std::string& name) {
    std::ifstream in(fixture_path(name), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    BOOST_REQUIRE_MESSAGE(in, "cannot read fixture " << name);
    return text.str();
}

inline std::string temp_dir(const std::string& name) {
    const auto base = repo_root() / "build" / "tmp";
    std::filesystem::create_directories(base);
    std::string templ = (base / (name + "-XXXXXX")).string();
    BOOST_REQUIRE(::mkdtemp(templ.data()) != nullptr);
    // Forked children leave with _exit, so the folders are removed once, by the test binary.
    static struct Cleanup {
        std::vector<std::string> dirs;
        ~Cleanup() {
            std::error_code ec;
            for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
        }
    } cleanup;
    cleanup.dirs.push_back(templ);
    return templ;
}

}  // namespace tagwatch_test
