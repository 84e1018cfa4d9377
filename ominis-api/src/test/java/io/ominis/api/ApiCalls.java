package io.ominis.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest;

/** JSON requests and problem+json assertions shared by the HTTP tests. */
public final class ApiCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiCalls() {
    }

    /** Sends {@code json} with {@code method} (POST, PUT, PATCH) as {@code application/json}. */
    public static Response send(HttpClient client, String method, String path, String json) {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(json);
        return client.request(path, b -> {
            switch (method) {
                case "POST" -> b.post(body);
                case "PUT" -> b.put(body);
                case "PATCH" -> b.patch(body);
                case "DELETE" -> b.delete(body);
                default -> throw new IllegalArgumentException(method);
            }
            b.header("Content-Type", "application/json");
        });
    }

    /** Asserts an RFC 9457 problem with this status (and field, unless null), and no stack trace in it. */
    public static JsonNode assertProblem(Response r, int status, String field) throws Exception {
        assertThat(r.code()).as("status of %s", r.body().string()).isEqualTo(status);
        assertThat(r.headers().get("Content-Type").get(0)).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(r.body().string());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(r.body().string()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            assertThat(problem.get("field").asText()).isEqualTo(field);
        }
        return problem;
    }
    /** What mod_sofia sends for digest auth of a REGISTER (freeswitch-facts §4.2); base fields not URL-encoded. */
    public static String sipAuth(String user, String domain) {
        return "hostname=fs-node-1&section=directory&tag_name=domain&key_name=name&key_value=" + domain
                + "&Event-Name=REQUEST_PARAMS&Core-UUID=6b0c5c2e-8d4d-4b7e-9d5c-6a1c2d3e4f50"
                + "&FreeSWITCH-Hostname=fs-node-1&FreeSWITCH-Switchname=fs-node-1&FreeSWITCH-IPv4=10.42.0.7"
                + "&FreeSWITCH-IPv6=%3A%3A1&Event-Date-Local=2026-11-25%2013%3A00%3A00"
                + "&Event-Date-GMT=Wed,%2025%20Nov%202026%2013%3A00%3A00%20GMT&Event-Date-Timestamp=1795000000000000"
                + "&Event-Calling-File=sofia_reg.c&Event-Calling-Function=sofia_reg_parse_auth"
                + "&Event-Calling-Line-Number=3126&Event-Sequence=512"
                + "&action=sip_auth&sip_profile=internal&sip_user_agent=Zoiper%20rv2.10"
                + "&sip_auth_username=" + user + "&sip_auth_realm=" + domain
                + "&sip_auth_nonce=2f5e6a8c-1b7d-4e1a-9c3f-0d2b4a6c8e10&sip_auth_uri=sip%3A" + domain
                + "&sip_contact_user=" + user + "&sip_contact_host=192.168.1.50&sip_to_user=" + user
                + "&sip_to_host=" + domain + "&sip_via_protocol=udp&sip_from_user=" + user + "&sip_from_host=" + domain
                + "&sip_call_id=NjQ3Yzg0ZWQ&sip_request_host=" + domain + "&sip_auth_qop=auth&sip_auth_cnonce=a1b2c3"
                + "&sip_auth_nc=00000001&sip_auth_response=0f1e2d3c4b5a69788796a5b4c3d2e1f0&sip_auth_method=REGISTER"
                + "&client_port=5060&key=id&user=" + user + "&domain=" + domain + "&ip=192.168.1.50";
    }

    /** POSTs an {@code application/x-www-form-urlencoded} body, as mod_xml_curl does. */
    public static Response postForm(HttpClient client, String path, String form) {
        return client.request(path, b -> b.post(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded"));
    }


    /**
     * Announces a JSON body of {@code length} bytes (Content-Length and {@code Expect: 100-continue}, as curl does for
     * large bodies) and returns the status the server answers before any of it is sent: it must refuse by size alone.
     * A raw socket, because Java's HTTP client reports a server that refuses mid-upload as a broken connection.
     */
    public static int announceLargeBody(int port, String method, String path, long length) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + length + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }
}
