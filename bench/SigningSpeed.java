import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.conscrypt.Conscrypt;

/**
 * ES256 signatures per second on one thread, over a 300-byte input (a token's signing input), for
 * the three ways token-service could sign: BoringSSL through Conscrypt (what it does), Bouncy Castle's
 * lightweight API (its fallback) and the JDK's SunEC. Each signer is called as KeyMaterial calls it;
 * rounds alternate so that a change in the machine's speed shows in all three.
 *
 *   java -cp "token-service/target/quarkus-app/lib/main/*" bench/SigningSpeed.java [rounds=3] [seconds=3]
 */
public class SigningSpeed {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long nanos = (args.length > 1 ? Long.parseLong(args[1]) : 3) * 1_000_000_000L;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] input = new byte[300];
        new SecureRandom().nextBytes(input);

        Provider conscrypt = Conscrypt.newProvider();
        PrivateKey nativeKey = KeyFactory.getInstance("EC", conscrypt)
                .generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded()));
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        ECPrivateKeyParameters bcKey = new ECPrivateKeyParameters(((ECPrivateKey) pair.getPrivate()).getS(),
                new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH()));

        Map<String, Callable<Object>> signers = new LinkedHashMap<>();
        Signature nativeSignature = Signature.getInstance("SHA256withECDSA", conscrypt);
        nativeSignature.initSign(nativeKey); // once: sign() leaves it ready for the next, as KeyMaterial keeps it per thread
        signers.put("boringssl-conscrypt", () -> {
            nativeSignature.update(input);
            return nativeSignature.sign();
        });
        signers.put("bouncycastle", () -> {
            SHA256Digest digest = new SHA256Digest();
            byte[] hash = new byte[32];
            digest.update(input, 0, input.length);
            digest.doFinal(hash, 0);
            ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            signer.init(true, bcKey);
            BigInteger[] rs = signer.generateSignature(hash);
            return rs;
        });
        signers.put("jdk-sunec", () -> {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(pair.getPrivate());
            signature.update(input);
            return signature.sign();
        });

        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (Map.Entry<String, Callable<Object>> signer : signers.entrySet()) {
                long start = System.nanoTime();
                long count = 0;
                while (System.nanoTime() - start < nanos) {
                    signer.getValue().call();
                    count++;
                }
                line.append(String.format(" %s=%d/s", signer.getKey(), count * 1_000_000_000L / (System.nanoTime() - start)));
            }
            System.out.println(line);
        }
    }
}
