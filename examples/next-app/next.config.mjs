/** @type {import('next').NextConfig} */
const config = {
  poweredByHeader: false,
  // The shop kit reads its page files next to its own source, and the fake Juspay it
  // embeds offline opens a server: both run as the Node packages they are, unbundled.
  serverExternalPackages: ['@juspay-tokens/example-shop-kit', '@juspay-tokens/core'],
};

export default config;
