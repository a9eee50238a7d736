// parseTwiml's typed nodes (src/twiml/compact.rs) for pkg/decode.js. Written by tests/it/twiml_compact.rs
// (REFER_SIM_WRITE_SHAPES=1 cargo test --test it twiml_compact::), which fails while this file differs.
export const SHAPES = [
(f,a,c,s)=>({type:"Dial",action:f(),method:f(),timeout:f(),hangupOnStar:f(),timeLimit:f(),callerId:f(),record:f(),trim:f(),recordingStatusCallback:f(),recordingStatusCallbackMethod:f(),recordingStatusCallbackEvent:f(),answerOnBridge:f(),ringTone:f(),recordingTrack:f(),sequential:f(),referUrl:f(),referMethod:f(),events:f(),callReason:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Say",voice:f(),loop:f(),language:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Play",loop:f(),digits:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Pause",length:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Gather",action:f(),method:f(),timeout:f(),finishOnKey:f(),numDigits:f(),input:f(),speechTimeout:f(),maxSpeechTime:f(),profanityFilter:f(),partialResultCallback:f(),partialResultCallbackMethod:f(),language:f(),hints:f(),bargeIn:f(),debug:f(),actionOnEmptyResult:f(),speechModel:f(),enhanced:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Hangup",attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Redirect",method:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Reject",reason:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Enqueue",action:f(),maxQueueSize:f(),method:f(),waitUrl:f(),waitUrlMethod:f(),workflowSid:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Leave",attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Record",action:f(),method:f(),timeout:f(),finishOnKey:f(),maxLength:f(),playBeep:f(),trim:f(),recordingStatusCallback:f(),recordingStatusCallbackMethod:f(),recordingStatusCallbackEvent:f(),transcribe:f(),transcribeCallback:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Refer",action:f(),method:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Sip",username:f(),password:f(),url:f(),method:f(),statusCallbackEvent:f(),statusCallback:f(),statusCallbackMethod:f(),machineDetection:f(),amdStatusCallback:f(),amdStatusCallbackMethod:f(),machineDetectionTimeout:f(),customerId:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Number",sendDigits:f(),url:f(),method:f(),statusCallbackEvent:f(),statusCallback:f(),statusCallbackMethod:f(),byoc:f(),machineDetection:f(),amdStatusCallback:f(),amdStatusCallbackMethod:f(),machineDetectionTimeout:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Client",url:f(),method:f(),statusCallbackEvent:f(),statusCallback:f(),statusCallbackMethod:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Conference",muted:f(),beep:f(),startConferenceOnEnter:f(),endConferenceOnExit:f(),waitUrl:f(),waitMethod:f(),maxParticipants:f(),record:f(),region:f(),coach:f(),trim:f(),statusCallbackEvent:f(),statusCallback:f(),statusCallbackMethod:f(),recordingStatusCallback:f(),recordingStatusCallbackMethod:f(),recordingStatusCallbackEvent:f(),eventCallbackUrl:f(),jitterBufferSize:f(),participantLabel:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Queue",url:f(),method:f(),reservationSid:f(),postWorkActivitySid:f(),attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Sim",attributes:a(),children:c(),span:s()}),
(f,a,c,s)=>({type:"Sip",attributes:a(),children:c(),span:s()}),
];
