// Peer-address checks: is an address in a list of IPs and CIDR ranges (trusted
// proxies), and is it loopback (localhost login).
#pragma once

#include <string_view>

namespace tagwatch {

// `list`: entries separated by commas and/or whitespace, each an IPv4 or IPv6
// address or CIDR range ("127.0.0.1, 10.0.0.0/8, ::1, fd00::/8"). Addresses are
// compared in IPv6 form with IPv4 as ::ffff:a.b.c.d, so an IPv4-mapped address
// matches IPv4 entries and the other way round (and ::/0 covers IPv4 as well).
// Entries that do not parse are skipped here; config refuses them at start-up
// through validate_address_list. An address that does not parse matches nothing.
bool address_in_list(std::string_view address, std::string_view list);

// Throws std::invalid_argument naming the first entry that is not an address or CIDR range.
void validate_address_list(std::string_view list);

// 127.0.0.0/8, ::1, and ::ffff:127.x.y.z.
bool is_loopback(std::string_view address);

}  // namespace tagwatch
