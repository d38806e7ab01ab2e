// config.json is written next to the app: by the local web server, or by the deploy on AWS.
// {"api_url", "cognito_endpoint", "region", "user_pool_id", "user_pool_client_id", "stage"}
let config = null;

export async function loadConfig() {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  config = await response.json();
  config.api_url = config.api_url.replace(/\/$/, '');
  return config;
}

export function getConfig() {
  if (!config) throw new Error('config not loaded');
  return config;
}
