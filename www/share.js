// Share and export (filled in next): URL, JSON file, SVG and Mermaid.
export function mountShare() {}
export function readShared() { return {}; }
export function writeLocation() {}
