//! A QR code of a link, drawn as SVG from the `qrcode` crate's modules (one
//! path of dark runs), crisp at any size on a projector.

use yew::prelude::*;

/// Modules of quiet zone around the code, as the QR standard asks.
const QUIET: usize = 4;

/// The SVG geometry of `text` as a QR code: (side in modules including the
/// quiet zone, path data of the dark modules). None if the text is too long
/// for any QR version.
pub fn qr_geometry(text: &str) -> Option<(usize, String)> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for y in 0..width {
        let row = &colors[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if row[x] == qrcode::Color::Dark {
                let start = x;
                while x < width && row[x] == qrcode::Color::Dark {
                    x += 1;
                }
                let run = x - start;
                path.push_str(&format!("M{} {}h{run}v1h-{run}z", start + QUIET, y + QUIET));
            } else {
                x += 1;
            }
        }
    }
    Some((width + 2 * QUIET, path))
}

#[derive(Properties, PartialEq)]
pub struct QrCodeProps {
    /// What the code encodes (the join link).
    pub text: AttrValue,
    /// What a screen reader says.
    pub label: AttrValue,
}

#[function_component(QrCode)]
pub fn qr_code(props: &QrCodeProps) -> Html {
    let geometry = use_memo(props.text.clone(), |text| qr_geometry(text));
    match &*geometry {
        Some((side, path)) => html! {
            <svg class="qr" role="img" aria-label={props.label.clone()}
                 viewBox={format!("0 0 {side} {side}")} shape-rendering="crispEdges"
                 xmlns="http://www.w3.org/2000/svg">
                <rect width={side.to_string()} height={side.to_string()} fill="#fff" />
                <path d={path.clone()} fill="#000" />
            </svg>
        },
        None => html! { <p class="qr-missing">{ "This link is too long for a QR code." }</p> },
    }
}
