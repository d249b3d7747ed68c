{{/* The five services: short name -> Kubernetes name. */}}
{{- define "mandate.name" -}}
{{ .root.Release.Name }}-{{ .service }}
{{- end }}

{{/* Labels every object carries. The version is never in a selector: selectors cannot change. */}}
{{- define "mandate.labels" -}}
app.kubernetes.io/name: {{ .service }}-service
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: mandate
app.kubernetes.io/version: {{ .root.Values.image.tag | default .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ .root.Chart.Name }}-{{ .root.Chart.Version }}
{{- end }}

{{- define "mandate.selectorLabels" -}}
app.kubernetes.io/name: {{ .service }}-service
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{- define "mandate.image" -}}
{{ .root.Values.image.registry }}/{{ .root.Values.image.repository }}/{{ .service }}-service:{{ .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- end }}

{{/* A service's settings: its own block over the defaults. */}}
{{- define "mandate.settings" -}}
{{- $own := index .root.Values.services .service | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) $own) -}}
{{- end }}

{{/* The public URL without a trailing slash. */}}
{{- define "mandate.publicUrl" -}}
{{ trimSuffix "/" .Values.publicUrl }}
{{- end }}

{{/* Where Kafka is, and the Secret holding a service's Kafka password (key `password`). */}}
{{- define "mandate.kafkaBootstrap" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{ .Release.Name }}-kafka-kafka-bootstrap:{{ include "mandate.kafkaPort" . }}
{{- else -}}
{{ .Values.kafka.bootstrapServers }}
{{- end -}}
{{- end }}

{{/* The port the services reach Kafka on. */}}
{{- define "mandate.kafkaPort" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{ ternary 9093 9092 .Values.kafka.tls.enabled }}
{{- else -}}
{{ .Values.kafka.port }}
{{- end -}}
{{- end }}

{{/* The Secret with the CA of the brokers' certificates, when Kafka is reached over TLS. */}}
{{- define "mandate.kafkaCaSecret" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{ .Values.kafka.tls.caSecret | default (printf "%s-kafka-cluster-ca-cert" .Release.Name) }}
{{- else -}}
{{ required "kafka.tls.caSecret: the Secret with the CA of your brokers' certificates" .Values.kafka.tls.caSecret }}
{{- end -}}
{{- end }}

{{- define "mandate.kafkaSecret" -}}
{{- if eq .root.Values.kafka.mode "strimzi" -}}
{{ .service }}-service
{{- else -}}
{{ index .root.Values.kafka.credentials .service }}
{{- end -}}
{{- end }}

{{/* A service's database: host, and the Secrets (key `password`) of its runtime and migration roles. */}}
{{- define "mandate.dbHost" -}}
{{- if eq .root.Values.postgresql.mode "cloudnativepg" -}}
{{ include "mandate.name" . }}-db-rw
{{- else -}}
{{ .root.Values.postgresql.host }}
{{- end -}}
{{- end }}

{{- define "mandate.dbPasswords" -}}
{{- if eq .root.Values.postgresql.mode "cloudnativepg" -}}
app: {name: {{ include "mandate.name" . }}-db-app, key: password}
owner: {name: {{ include "mandate.name" . }}-db-owner, key: password}
{{- else -}}
{{- $secret := index .root.Values.postgresql.credentials .service -}}
app: {name: {{ $secret }}, key: password}
owner: {name: {{ $secret }}, key: migration-password}
{{- end -}}
{{- end }}
