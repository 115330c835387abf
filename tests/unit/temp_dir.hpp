// Temporary folders for the unit tests: fresh under build/tmp (tests run from the
// repository root), removed when the test binary exits.
#pragma once

#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace tagwatch_test {

inline std::string temp_dir(const std::string& name) {
    std::filesystem::create_directories("build/tmp");
    std::string templ = "build/tmp/" + name + "-XXXXXX";
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
