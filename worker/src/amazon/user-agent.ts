import { version } from '../../../package.json'

/**
 * The User-Agent of every request to Amazon (LWA, SP-API, Ads), in SP-API's documented format
 * `AppName/Version (Language=LanguageName/Version; Platform=Platform/Version)`. SP-API asks for one on
 * every call and refuses one longer than 500 characters. Constant on purpose: it names the app, never a
 * seller, a secret or anything per request.
 */
export const AMAZON_USER_AGENT = `sellersync/${version} (Language=TypeScript; Platform=Cloudflare-Workers)`
