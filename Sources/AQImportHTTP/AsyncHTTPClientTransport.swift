// AsyncHTTPClient transport.
