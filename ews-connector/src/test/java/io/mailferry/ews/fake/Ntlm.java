package io.mailferry.ews.fake;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The server side of an NTLM handshake, as far as the fake needs it ([MS-NLMP]): a valid Type 2
 * challenge (with target information, so the client answers with NTLMv2) and the user and domain
 * of the Type 3 answer. The password is not verified.
 */
final class Ntlm {

    /** Login and the NT response's length. */
    record Authenticate(String domain, String user, int ntResponseLength) {
        String login() {
            return domain.isEmpty() ? user : domain + "\\" + user;
        }
    }

    private Ntlm() {
    }

    static int messageType(byte[] msg) {
        if (msg.length < 12 || !new String(msg, 0, 8, StandardCharsets.US_ASCII).equals("NTLMSSP\0")) {
            return -1;
        }
        return ByteBuffer.wrap(msg, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static String challenge() {
        byte[] target = "CONTOSO".getBytes(StandardCharsets.UTF_16LE);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        avPair(info, 2, "CONTOSO".getBytes(StandardCharsets.UTF_16LE));
        avPair(info, 1, "EXCH01".getBytes(StandardCharsets.UTF_16LE));
        avPair(info, 0, new byte[0]);
        byte[] infoBytes = info.toByteArray();
        int payload = 56;
        ByteBuffer b = ByteBuffer.allocate(payload + target.length + infoBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII));
        b.putInt(2);
        b.putShort((short) target.length).putShort((short) target.length).putInt(payload);
        b.putInt(0xa2898205);
        b.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        b.put(new byte[8]);
        b.putShort((short) infoBytes.length).putShort((short) infoBytes.length).putInt(payload + target.length);
        b.put(new byte[] {6, 1, (byte) 0xb1, 0x1d, 0, 0, 0, 15});
        b.put(target);
        b.put(infoBytes);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static void avPair(ByteArrayOutputStream out, int id, byte[] value) {
        out.write(id & 0xff);
        out.write(id >> 8);
        out.write(value.length & 0xff);
        out.write(value.length >> 8);
        out.writeBytes(value);
    }

    static Authenticate parseAuthenticate(byte[] msg) {
        ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN);
        int ntLen = b.getShort(20) & 0xffff;
        String domain = string(b, msg, 28);
        String user = string(b, msg, 36);
        return new Authenticate(domain, user, ntLen);
    }

    private static String string(ByteBuffer b, byte[] msg, int at) {
        int len = b.getShort(at) & 0xffff;
        int off = b.getInt(at + 4);
        int flags = b.getInt(60);
        return new String(msg, off, len, (flags & 1) != 0 ? StandardCharsets.UTF_16LE : StandardCharsets.US_ASCII);
    }
}
