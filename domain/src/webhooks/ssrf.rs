//! Webhook URLs must reach the public internet: a URL whose host resolves to a loopback,
//! private, link-local or cloud-metadata address is refused at registration and again at
//! send time, where the checked address is the one connected to (no second lookup, no
//! redirects). The operator can allow private addresses (`HD_WEBHOOKS_ALLOW_PRIVATE`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use url::Url;

fn v4_private(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (64..128).contains(&o[1])) // carrier-grade NAT
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (18..20).contains(&o[1])) // benchmarking
        || o[0] >= 240
}

fn v6_private(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_private(v4);
    }
    let s = ip.segments();
    // IPv4-compatible (`::127.0.0.1`, deprecated but still routed by some stacks): judged as
    // the IPv4 address it carries. `::` and `::1` are caught below.
    if s[..6] == [0; 6] && (s[6] != 0 || s[7] > 1) {
        return v4_private(Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8));
    }
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local, including fd00:ec2::254 (metadata)
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated, still routed inside networks)
        || s[0] == 0x2002 // 6to4: carries an IPv4 address a relay may deliver to
        || (s[0] == 0x64 && s[1] == 0xff9b) // NAT64, well-known (64:ff9b::/96) and local (64:ff9b:1::/48)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x2001 && s[1] == 0) // Teredo: tunnels to an IPv4 address
}

/// Whether `ip` is not on the public internet.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_private(v4),
        IpAddr::V6(v6) => v6_private(v6),
    }
}

/// Checks a URL's form: http(s), a host, no credentials; https only when `https_only`.
pub fn check_url(text: &str, https_only: bool) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("not a URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if !https_only => {}
        "http" => return Err("live accounts take https URLs only".into()),
        other => return Err(format!("{other}: URLs must be http(s)")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("URLs must not carry credentials".into());
    }
    if text.len() > 2000 {
        return Err("at most 2000 characters".into());
    }
    Ok(url)
}

/// Resolves the URL's host to the address to connect to, refusing private ones unless allowed.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<SocketAddr, String> {
    let host = url.host_str().ok_or("the URL has no host")?;
    let port = url.port_or_known_default().ok_or("the URL has no port")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> =
        tokio::net::lookup_host((host, port)).await.map_err(|e| format!("{host} does not resolve: {e}"))?.collect();
    let first = *addrs.first().ok_or_else(|| format!("{host} resolves to no address"))?;
    if !allow_private && let Some(private) = addrs.iter().find(|a| is_private(a.ip())) {
        return Err(format!("{host} resolves to {}, which is not a public address", private.ip()));
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_metadata_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "fc00::1",
            // Forms that carry an IPv4 address, or reach inside a network.
            "::127.0.0.1",
            "::10.0.0.1",
            "::169.254.169.254",
            "2002:7f00:1::1",
            "2002:0808:0808::1",
            "fec0::1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::a00:1",
            "2001:0:4136:e378::1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "1.1.1.1", "2a00:1450:4001:82a::200e"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://agent.example.com/hook", true).is_ok());
        assert!(check_url("http://agent.example.com/hook", true).is_err());
        assert!(check_url("http://agent.example.com/hook", false).is_ok());
        assert!(check_url("ftp://agent.example.com/hook", false).is_err());
        assert!(check_url("https://user:pw@agent.example.com/", false).is_err());
        assert!(check_url("not a url", false).is_err());
    }

    #[tokio::test]
    async fn ipv6_literals_that_reach_loopback_are_refused() {
        for url in ["http://[::127.0.0.1]:9/hook", "http://[::ffff:127.0.0.1]:9/", "http://[2002:7f00:1::1]:9/"] {
            let url = Url::parse(url).unwrap();
            assert!(resolve(&url, false).await.unwrap_err().contains("not a public address"), "{url}");
        }
    }

    #[tokio::test]
    async fn loopback_hosts_are_refused_unless_allowed() {
        let url = Url::parse("http://127.0.0.1:9/hook").unwrap();
        assert!(resolve(&url, false).await.unwrap_err().contains("not a public address"));
        assert_eq!(resolve(&url, true).await.unwrap().port(), 9);
        let url = Url::parse("http://localhost:9/hook").unwrap();
        assert!(resolve(&url, false).await.is_err());
    }
}
