//! Where people reach this server: the public URL it was given, or else
//! the addresses of this machine's network interfaces it listens on. The
//! console builds the join link and its QR code from them; the person who
//! starts the server is told how phones can join.

use std::net::{IpAddr, SocketAddr};

use serde::Serialize;

/// What `GET /api/site` answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Site {
    /// The address people open, from `--public-url`.
    pub public_url: Option<String>,
    /// This machine's addresses on its networks, when listening on them and
    /// no public URL is set, e.g. `http://192.168.1.20:8080/`.
    pub addresses: Vec<String>,
}

impl Site {
    pub fn new(public_url: Option<String>, bound: SocketAddr) -> Self {
        let addresses = if public_url.is_some() {
            Vec::new()
        } else {
            network_addresses(bound)
        };
        Self {
            public_url,
            addresses,
        }
    }

    /// What to tell the person who started the server about phones.
    pub fn guidance(&self, bound: SocketAddr) -> Vec<String> {
        if let Some(url) = &self.public_url {
            return vec![format!(
                "Phones join at {url} (the join links and QR codes carry it)."
            )];
        }
        if !self.addresses.is_empty() {
            let mut lines = vec!["Phones on the same network can join at:".to_owned()];
            lines.extend(self.addresses.iter().map(|a| format!("  {a}")));
            lines.push("Behind a proxy or a name, give that address with --public-url.".to_owned());
            return lines;
        }
        let port = bound.port();
        vec![
            format!(
                "Only this computer can open {}: phones cannot reach it.",
                bound.ip()
            ),
            format!(
                "To let phones join, listen on the network: --addr 0.0.0.0:{port} (and --public-url with the address people open)."
            ),
        ]
    }
}

/// `http://ip:port/` for each address the server can be reached at from
/// other machines: every interface's address when it listens on all of
/// them, or the one it listens on; none on loopback.
fn network_addresses(bound: SocketAddr) -> Vec<String> {
    let ip = bound.ip();
    let ips: Vec<IpAddr> = if ip.is_unspecified() {
        let mut ips: Vec<IpAddr> = if_addrs::get_if_addrs()
            .unwrap_or_default()
            .into_iter()
            .filter(|i| !i.is_loopback() && !i.is_link_local() && i.is_oper_up())
            .map(|i| i.ip())
            .filter(|a| a.is_ipv4() || bound.is_ipv6())
            .collect();
        // IPv4 first: what people type.
        ips.sort_by_key(|a| (a.is_ipv6(), *a));
        ips.dedup();
        ips
    } else if ip.is_loopback() {
        Vec::new()
    } else {
        vec![ip]
    };
    ips.into_iter()
        .map(|ip| SocketAddr::new(ip, bound.port()))
        .map(|addr| format!("http://{addr}/"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_offers_no_address_and_says_how_to_open_up() {
        let bound: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let site = Site::new(None, bound);
        assert!(site.addresses.is_empty());
        assert!(site.guidance(bound)[1].contains("--addr 0.0.0.0:8080"));
    }

    #[test]
    fn a_public_url_is_what_phones_get() {
        let bound: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let site = Site::new(Some("https://riskroom.example.com/".into()), bound);
        assert!(site.addresses.is_empty());
        assert!(site.guidance(bound)[0].contains("https://riskroom.example.com/"));
    }

    #[test]
    fn a_specific_address_is_offered_as_it_is() {
        let bound: SocketAddr = "192.168.1.20:8080".parse().unwrap();
        assert_eq!(
            Site::new(None, bound).addresses,
            vec!["http://192.168.1.20:8080/".to_owned()]
        );
        let v6: SocketAddr = "[fd00::20]:8080".parse().unwrap();
        assert_eq!(
            Site::new(None, v6).addresses,
            vec!["http://[fd00::20]:8080/".to_owned()]
        );
    }
}
